/// The entry point of the `clicktrail` executable.
public enum ClicktrailCommandLine {
  /// Runs the command line `arguments` (without the program name) and returns the exit status.
  public static func run(arguments: [String]) -> Int32 {
    0
  }
}
