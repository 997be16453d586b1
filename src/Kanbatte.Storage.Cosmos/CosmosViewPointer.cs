namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The active view container, the one it replaced, and when the switch happened. <see cref="Epoch"/> names the view's
/// generation for changes cursors: it becomes the new container only once the rebuild has caught up after the switch,
/// so a cursor taken while the new container was still catching up is refused afterwards (null: the container's name).
/// </summary>
public sealed record CosmosViewPointer(string Id, string Container, string Previous, DateTimeOffset SwitchedAt, string? Epoch = null);
