using Kanbatte.Application;

namespace Kanbatte.Api;

/// <summary>
/// Who is told of a project's change, and what: the project's members as its stream has them at the moment of
/// sending (so a removed member hears nothing more at once), and the <see cref="ChangedMessage"/>. Both hosts' push
/// senders use it, so a message means the same wherever it comes from.
/// </summary>
public sealed class ChangeMessages(ProjectAccess access, IChangeJournal journal, ChangesCursors cursors, TimeProvider clock)
{
    public async Task<(IReadOnlyList<string> Members, ChangedMessage Message)> ForAsync(ProjectChanged changed, CancellationToken ct)
    {
        var members = await access.MembersAsync(changed.ProjectKey, ct);
        var cursor = new ChangesCursor(changed.ProjectKey, await journal.EpochAsync(ct), changed.Seq, 0, Listing: false, ListedThrough: null,
            ChangesCursor.Hour(clock.GetUtcNow()));
        return (members, new ChangedMessage(changed.ProjectKey, cursors.Encode(cursor)));
    }
}
