import XCTest
@testable import Inspection

final class ShellParserTests: XCTestCase {
    func argvs(_ s: ShellScript) -> [[String]] { s.pipelines.flatMap { $0.commands.map { $0.argv.map(\.display) } } }

    func testQuotesEscapesAndOperators() {
        let s = ShellParser.parse(#"echo 'a b' "c $X d" e\ f; ls|wc -l && true || false & sleep 1"#)
        XCTAssertEqual(argvs(s), [["echo", "a b", "c $X d", "e f"], ["ls"], ["wc", "-l"], ["true"], ["false"], ["sleep", "1"]])
        XCTAssertEqual(s.pipelines.map(\.commands.count), [1, 2, 1, 1, 1])
        XCTAssertEqual(s.pipelines.map(\.background), [false, false, false, true, false])
    }

    func testExpansionMarkersDistinguishQuoting() {
        let s = ShellParser.parse(#"x ~ '~' * "*" $HOME '$HOME' ${HOME}"#)
        let v = s.pipelines[0].commands[0].argv.map(\.value)
        XCTAssertEqual(v[1], String(ShellWord.tilde))
        XCTAssertEqual(v[2], "~")
        XCTAssertEqual(v[3], String(ShellWord.glob))
        XCTAssertEqual(v[4], "*")
        XCTAssertEqual(v[5], String(ShellWord.variable) + "HOME")
        XCTAssertEqual(v[6], "$HOME")
        XCTAssertEqual(v[7], String(ShellWord.variable) + "HOME")
    }

    func testSubstitutionsSubshellsAndHeredocs() {
        let s = ShellParser.parse("echo $(id -u) `whoami` $((1+2)); (cd /; ls)\ncat <<-END\n\thello\n\tEND\nnext")
        let echo = s.pipelines[0].commands[0]
        XCTAssertEqual(echo.argv[1].substitutions.map(argvs), [[["id", "-u"]]])
        XCTAssertEqual(echo.argv[2].substitutions.map(argvs), [[["whoami"]]])
        XCTAssertEqual(echo.argv[3].substitutions.count, 0)
        XCTAssertEqual(s.pipelines[1].commands[0].subshell.map(argvs), [["cd", "/"], ["ls"]])
        XCTAssertEqual(s.pipelines[2].commands[0].stdinText, ["hello"])
        XCTAssertEqual(argvs(s).last, ["next"])
        XCTAssertFalse(s.malformed)
    }

    func testFunctionsAndAssignments() {
        let s = ShellParser.parse("A=1 B=2 env; f() { g; }; function h { :; }")
        XCTAssertEqual(s.functions, ["f", "h"])
        XCTAssertEqual(argvs(s).first, ["env"])
        let body = s.pipelines.filter { $0.function == "f" }.flatMap { $0.commands.map { $0.argv.map(\.display) } }
        XCTAssertEqual(body, [["g"]])
    }

    func testMalformedInputIsReported() {
        XCTAssertTrue(ShellParser.parse("echo 'x").malformed)
        XCTAssertTrue(ShellParser.parse("echo $(ls").malformed)
        XCTAssertTrue(ShellParser.parse("cat <<EOF\nno end").malformed)
        XCTAssertTrue(ShellClassifier.analyze("echo \"x").malformed)
    }

    func testAnalysisListsCommandsWithWrappersRemoved() {
        let a = ShellClassifier.analyze("sudo -u app env X=1 nice -n 5 ls /srv | grep x")
        XCTAssertEqual(a.commands, [["ls", "/srv"], ["grep", "x"]])
        XCTAssertFalse(a.isDestructive)
        let b = ShellClassifier.analyze("sudo rm -rf /")
        XCTAssertEqual(b.findings, [ShellFinding(risk: .recursiveDelete, argv: ["rm", "-rf", "/"])])
    }

    func testDeepNestingIsBounded() {
        var cmd = "rm -rf /"
        for _ in 0..<4 { cmd = "eval " + cmd }
        XCTAssertTrue(ShellClassifier.analyze(cmd).isDestructive)
        for _ in 0..<8 { cmd = "eval " + cmd }
        XCTAssertTrue(ShellClassifier.analyze(cmd).malformed)  // too deep to follow: fail closed
        let deep = String(repeating: "$(", count: 10_000) + String(repeating: ")", count: 10_000)
        XCTAssertTrue(ShellParser.parse("echo " + deep).malformed)
        var ticks = "ls"
        for _ in 0..<40 { ticks = "echo $(echo `" + ticks + "`)" }
        XCTAssertTrue(ShellParser.parse(ticks).malformed)
        var nested = "ls"
        for _ in 0..<12 { nested = "echo $(\(nested))" }
        XCTAssertTrue(ShellClassifier.analyze(nested).malformed)
    }
}
