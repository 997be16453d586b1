namespace Kanbatte.Application;

/// <summary>
/// The authenticated user a request comes from: an opaque id (up to <see cref="MaxIdLength"/> characters), a display
/// name, and whether they are an operator (the <c>Kanbatte.Admin</c> role), who may run the projector's dead letters.
/// </summary>
public sealed record Caller(string Id, string Name, bool Admin)
{
    public const int MaxIdLength = 256;

    public Actor Actor => new(Id, Name);
}
