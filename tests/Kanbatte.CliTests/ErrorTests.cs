namespace Kanbatte.CliTests;

/// <summary>
/// Failures: the problem's detail and each field error on standard error, one a line, nothing on standard output, and
/// the exit code: 1 refused by the server (4xx), 2 wrong usage, 3 server failure or no answer.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ErrorTests(CliServer server)
{
    [Fact]
    public async Task Wrong_usage_exits_2_before_anything_is_sent()
    {
        var ann = server.As("ann");
        var session = new Transcript();
        await session.RunAsync("ann", ann, "task", "list");
        await session.RunAsync("ann", ann, "task", "lsit", "-p", "ERR");
        await session.RunAsync("ann", ann, "task", "list", "-p", "ERR", "--format", "xml");
        await session.RunAsync("ann", ann, "task", "list", "-p", "ERR", "--limit", "0");
        await session.RunAsync("ann", ann, "task", "create", "-p", "ERR");
        await session.RunAsync("ann", ann, "task", "read", "ERR-001", "--as-of", "last tuesday");
        await session.RunAsync("ann", ann, "task", "read", "ERR-001", "--as-of", "2026-01-01T00:00:00Z", "--version", "1");
        await session.RunAsync("ann", ann, "task", "update", "-i", "ERR-001");
        await session.RunAsync("ann", ann, "task", "update", "-i", "ERR-001", "--assignee", "bo", "--unassign");
        await session.RunAsync("ann", ann, "task", "update-followup", "-i", "ERR-001", "FU-1");
        await session.RunAsync("ann", ann, "--server", "ftp://127.0.0.1/", "whoami");
        await session.RunAsync("nobody", server.Anonymous(), "whoami");
        session.Matches("errors-usage");
    }

    [Fact]
    public async Task Refusals_exit_1_with_the_problem_on_stderr()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "ERR", "-n", "Errors");
        await ann.OkAsync("project", "add-member", "ERR", "cy", "--role", "viewer");
        await ann.OkAsync("task", "create", "-p", "ERR", "-t", "There");
        var session = new Transcript();
        await session.RunAsync("ann", ann, "task", "create", "-p", "ERR", "-t", "Bad", "--priority", "extreme", "-s", "nowhere");
        await session.RunAsync("ann", ann, "task", "create", "-p", "ERR", "-t", "Bad", "--due", "2026-13-45");
        await session.RunAsync("ann", ann, "task", "create", "-p", "ERR", "-t", "Bad", "--assignee", "stranger");
        await session.RunAsync("ann", ann, "task", "read", "ERR-999");
        await session.RunAsync("ann", ann, "project", "read", "NOPE");
        await session.RunAsync("ann", ann, "project", "create", "-p", "ERR", "-n", "Again");
        await session.RunAsync("ann", ann, "task", "update", "-i", "ERR-001", "-t", "Late", "--if-version", "7");
        await session.RunAsync("ann", ann, "task", "move", "-i", "ERR-001", "--before", "ERR-404");
        await session.RunAsync("cy", server.As("cy"), "task", "create", "-p", "ERR", "-t", "A viewer may not");
        await session.RunAsync("dee", server.As("dee"), "task", "list", "-p", "ERR");
        var forged = server.As("ann");
        forged.Environment["KANBATTE_TOKEN"] = TestTokens.Mint("ann", "Ann", admin: false, key: new byte[64]);
        await session.RunAsync("ann (forged token)", forged, "whoami");
        session.Matches("errors-refused");
    }

    [Fact]
    public async Task Server_failures_and_no_answer_exit_3()
    {
        var ann = server.As("ann");
        var session = new Transcript();
        var nothing = server.As("ann");
        nothing.Environment["KANBATTE_URL"] = $"http://127.0.0.1:{LoopbackPort.Free()}/";
        var refused = await nothing.RunAsync("task", "create", "-p", "ERR", "-t", "Nobody listens");
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Equal("", refused.Out);
        Assert.Matches(@"^No answer from http://127\.0\.0\.1:\d+/: Connection refused \(127\.0\.0\.1:\d+\)\n$", refused.Err);

        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();
        proxy.AnswerInstead = (500, "application/problem+json",
            """{"type":"https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1","title":"Internal Server Error.","status":500,"detail":"Something broke (correlation id abc)."}""");
        await session.RunAsync("ann", ann, "project", "list");
        proxy.AnswerInstead = (503, "text/plain", "Service Unavailable");
        await session.RunAsync("ann", ann, "task", "read", "ERR-001");
        session.Matches("errors-server");
    }
}
