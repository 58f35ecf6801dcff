import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Glibc
import Testing

/// Folders, links, globs and special files given to the path expander.
@Suite struct LogPathExpanderTests {
  @Test func symlinkLoopCountsEachFileOnce() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    let file = try fixture.write([1], to: "a/x.tsv.gz")
    #expect(symlink("..", base + "/a/up") == 0)
    #expect(symlink(".", base + "/a/self") == 0)
    let paths = try LogPathExpander.expand([base])
    #expect(paths == [file])
  }

  @Test func sameFileUnderTwoPathsCountsOnce() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    let file = try fixture.write([1], to: "x.tsv.gz")
    #expect(symlink(file, base + "/link.tsv.gz") == 0)
    let paths = try LogPathExpander.expand([file, base + "/./x.tsv.gz", base + "/link.tsv.gz"])
    #expect(paths == [file])
  }

  @Test(arguments: ["log[1].tsv.gz", "a*b?.tsv"])
  func existingPathWithGlobCharactersIsLiteral(_ name: String) throws {
    let fixture = try LogFixture()
    let file = try fixture.write([1], to: name)
    try fixture.write([1], to: "log1.tsv.gz")
    try fixture.write([1], to: "aXbY.tsv")
    let paths = try LogPathExpander.expand([file])
    #expect(paths == [file])
  }

  @Test func unreadableSubfolderThrowsNamingIt() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    try fixture.write([1], to: "ok.tsv.gz")
    try fixture.write([1], to: "locked/x.tsv.gz")
    #expect(chmod(base + "/locked", 0) == 0)
    defer { chmod(base + "/locked", 0o755) }
    // Root reads any folder, so the check runs as another file system user. The file system
    // user ID belongs to the calling thread alone.
    let previous = getuid() == 0 ? try Self.setFileSystemUser(65_534) : -1
    defer { if previous >= 0 { _ = try? Self.setFileSystemUser(UInt32(previous)) } }
    let expected = LogPathError(
      argument: base + "/locked", reason: "cannot be read: \(String(cString: strerror(EACCES)))")
    #expect(throws: expected) {
      try LogPathExpander.expand([base])
    }
  }

  @Test func namedPipeIsSkippedInFoldersAndUnreadableWhenGiven() throws {
    let fixture = try LogFixture()
    let base = fixture.directory.path
    let file = try fixture.write(LogBytes.clicksText(2), to: "x.tsv")
    #expect(mkfifo(base + "/pipe.tsv.gz", 0o644) == 0)
    #expect(try LogPathExpander.expand([base]) == [file])
    let result = LogReader.read(paths: [base + "/pipe.tsv.gz"], into: CountingSink.self)
    #expect(result.files[0].problems.map(\.kind) == [.unreadableFile])
    #expect(result.files[0].problems.first?.message == "cannot read the file: not a regular file")
  }

  /// Calls setfsuid(2), which the Glibc module does not export, and returns the previous ID.
  static func setFileSystemUser(_ user: UInt32) throws -> Int32 {
    let symbol = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid"))
    let function = unsafeBitCast(symbol, to: (@convention(c) (UInt32) -> Int32).self)
    return function(user)
  }
}
