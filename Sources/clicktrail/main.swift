import ClicktrailCLI
import Foundation

exit(ClicktrailCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst())))
