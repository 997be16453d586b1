namespace Kanbatte.CliTests;

[Collection(CliCollection.Name)]
public sealed class ProjectCommandTests(CliServer server)
{
    [Fact]
    public async Task Projects_and_members_in_each_format()
    {
        // pat is in no other test, so the project list holds exactly these.
        var pat = server.As("pat");
        var session = new Transcript();
        await session.OkAsync("pat", pat, "project", "create", "-p", "PRA", "-n", "AI research", "-d", "Models and more", "-r", "https://example.com/ai");
        await session.OkAsync("pat", pat, "project", "create", "-p", "prb", "-n", "Second", "--format", "json");
        await session.OkAsync("pat", pat, "project", "create", "-p", "PRC", "-n", "Third | with a bar", "-f", "markdown");
        await session.OkAsync("pat", pat, "project", "list");
        await session.OkAsync("pat", pat, "project", "list", "-f", "json");
        await session.OkAsync("pat", pat, "project", "list", "--format", "markdown");
        await session.OkAsync("pat", pat, "project", "list", "--limit", "2");
        await session.OkAsync("pat", pat, "project", "read", "PRA");
        await session.OkAsync("pat", pat, "project", "read", "pra", "-f", "json");
        await session.OkAsync("pat", pat, "project", "read", "PRA", "-f", "markdown");
        await session.OkAsync("pat", pat, "project", "add-member", "PRA", "quinn", "--role", "member", "--name", "Quinn");
        await session.OkAsync("pat", pat, "project", "add-member", "PRA", "auth0|r/s", "--role", "viewer", "-f", "json");
        await session.OkAsync("pat", pat, "project", "add-member", "PRA", "quinn", "--role", "owner", "-f", "markdown");
        await session.OkAsync("pat", pat, "project", "members", "PRA");
        await session.OkAsync("pat", pat, "project", "members", "PRA", "-f", "json");
        await session.OkAsync("pat", pat, "project", "members", "PRA", "-f", "markdown");
        await session.OkAsync("pat", pat, "project", "remove-member", "PRA", "auth0|r/s");
        await session.OkAsync("pat", pat, "project", "members", "PRA");
        session.Matches("projects");
    }
}
