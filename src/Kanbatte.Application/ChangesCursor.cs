namespace Kanbatte.Application;

/// <summary>
/// A position in a project's changes feed (clients hold it signed and opaque: see the API's ChangesCursors).
/// While <see cref="Listing"/>, a first pull is still listing the view's entities: the project, then the project's
/// documents by id after <see cref="ListedThrough"/> ("" once the project is listed, null before); <see cref="Seq"/> is
/// the journal's head when it began, where the journal is read from afterwards. Otherwise the client has every journal
/// entry up to <see cref="Seq"/> and the first <see cref="Offset"/> changes of the next. <see cref="Basis"/> (to the
/// hour, rounded down) is no later than the oldest entry the client still needs: the cursor expires by it.
/// </summary>
public sealed record ChangesCursor(string ProjectKey, string Epoch, long Seq, int Offset, bool Listing, string? ListedThrough, DateTimeOffset Basis)
{
    public static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
}
