using System.Globalization;
using System.Text.Json;

namespace Kanbatte.CliTests;

/// <summary>task read and board as they were: --as-of a time (RFC 3339 or with an offset), --version n.</summary>
[Collection(CliCollection.Name)]
public sealed class TimeTravelTests(CliServer server)
{
    [Fact]
    public async Task A_task_and_the_board_as_of_a_time_and_a_version()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "TT", "-n", "Time travel");
        using var created = JsonDocument.Parse(await ann.OkAsync("task", "create", "-p", "TT", "-t", "First title", "--format", "json"));
        var then = created.RootElement.GetProperty("updatedAt").GetString()!;
        await Task.Delay(50);
        await ann.OkAsync("task", "update", "-i", "TT-001", "-s", "in-progress", "-t", "Second title");
        await ann.OkAsync("task", "comment", "-i", "TT-001", "-c", "After the change");
        await ann.OkAsync("task", "create", "-p", "TT", "-t", "Later task");

        var before = DateTimeOffset.Parse(then, CultureInfo.InvariantCulture).AddSeconds(-10);
        // The same instant written with an offset, as a user east of UTC might.
        var withOffset = DateTimeOffset.Parse(then, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

        var session = new Transcript();
        session.Note($"--as-of is the first task's creation time; {withOffset} is the same instant at +02:00.");
        await session.OkAsync("ann", ann, "task", "read", "TT-001");
        await session.OkAsync("ann", ann, "task", "read", "TT-001", "--as-of", then);
        await session.OkAsync("ann", ann, "task", "read", "TT-001", "--as-of", withOffset, "-f", "json");
        await session.OkAsync("ann", ann, "task", "read", "TT-001", "--version", "1", "-f", "markdown");
        await session.OkAsync("ann", ann, "task", "read", "TT-001", "--version", "3");
        await session.OkAsync("ann", ann, "board", "TT", "--as-of", then);
        await session.OkAsync("ann", ann, "board", "TT");
        await session.RunAsync("ann", ann, "task", "read", "TT-001", "--as-of", before.ToString("O", CultureInfo.InvariantCulture));
        await session.RunAsync("ann", ann, "task", "read", "TT-001", "--version", "9");
        session.Redact(withOffset, "<the same time at +02:00>");
        session.Redact(before.ToString("O", CultureInfo.InvariantCulture), "<10 s before>");
        session.Matches("time-travel");
    }
}
