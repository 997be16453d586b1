namespace Kanbatte.CliTests;

/// <summary>A create whose answer is lost is sent again with the same Idempotency-Key, and the server answers it with the first: one task.</summary>
[Collection(CliCollection.Name)]
public sealed class IdempotentCreateTests(CliServer server)
{
    [Fact]
    public async Task An_interrupted_task_create_is_retried_with_its_key_and_creates_one_task()
    {
        using var api = server.Api("ann");
        var key = await api.NewProjectAsync("I");
        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        proxy.DropAnswerOnce = request => request.Method == "POST" && request.Path.Value!.EndsWith("/tasks", StringComparison.Ordinal);
        var ann = server.As("ann");
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();

        var result = await ann.RunAsync("task", "create", "-p", key, "-t", "Exactly once", "--format", "json");

        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, result.ToString());
        Assert.Contains($"\"id\": \"{key}-001\"", result.Out);
        var posts = proxy.Forwarded.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.True(posts[0].Dropped && posts[0].Status == 201, "the server created the task and its answer was dropped");
        Assert.False(posts[1].Dropped);
        Assert.Equal(201, posts[1].Status);
        Assert.True(posts[1].Replayed, "the retry got the stored answer (Idempotent-Replayed)");
        Assert.NotNull(posts[0].IdempotencyKey);
        Assert.Equal(posts[0].IdempotencyKey, posts[1].IdempotencyKey);
        var tasks = await (await api.GetAsync($"/api/projects/{key}/tasks")).JsonAsync();
        Assert.Equal(1, tasks.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Interrupted_comment_and_project_creates_are_retried_too()
    {
        using var api = server.Api("ann");
        await using var proxy = await LoopbackProxy.StartAsync(server.Process.BaseAddress);
        var ann = server.As("ann");
        ann.Environment["KANBATTE_URL"] = proxy.Address.ToString();

        proxy.DropAnswerOnce = request => request.Method == "POST" && request.Path == "/api/projects";
        await ann.OkAsync("project", "create", "-p", "IDP", "-n", "Once");
        proxy.DropAnswerOnce = request => request.Method == "POST" && request.Path.Value!.EndsWith("/comments", StringComparison.Ordinal);
        await ann.OkAsync("task", "create", "-p", "IDP", "-t", "A task");
        await ann.OkAsync("task", "comment", "-i", "IDP-001", "-c", "Said once");

        Assert.Equal(2, proxy.Forwarded.Count(r => r.Method == "POST" && r.Path == "/api/projects"));
        Assert.Equal(2, proxy.Forwarded.Count(r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal)));
        var comments = await (await api.GetAsync("/api/tasks/IDP-001/comments")).JsonAsync();
        Assert.Equal(1, comments.GetProperty("items").GetArrayLength());
        var activity = await (await api.GetAsync("/api/projects/IDP/activity")).JsonAsync();
        Assert.Equal(1, activity.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "project_created"));
    }

    [Fact]
    public async Task A_chosen_idempotency_key_sent_twice_gets_the_first_answer()
    {
        using var api = server.Api("ann");
        var key = await api.NewProjectAsync("K");
        var ann = server.As("ann");

        var first = await ann.OkAsync("task", "create", "-p", key, "-t", "Scripted", "--idempotency-key", "script-run-42", "--format", "json");
        var again = await ann.OkAsync("task", "create", "-p", key, "-t", "Scripted", "--idempotency-key", "script-run-42", "--format", "json");
        Assert.Equal(first, again);
        var other = await ann.FailsAsync(ExitCodes.Refused, "task", "create", "-p", key, "-t", "Something else", "--idempotency-key", "script-run-42");
        Assert.Equal("This Idempotency-Key was used for a different request; use a new key for a new request.\n", other);

        var tasks = await (await api.GetAsync($"/api/projects/{key}/tasks")).JsonAsync();
        Assert.Equal(1, tasks.GetProperty("items").GetArrayLength());
    }
}

/// <summary>The tool's exit codes, as the tests expect them.</summary>
public static class ExitCodes
{
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Failure = 3;
}
