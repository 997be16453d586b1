using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>
/// Schema 2: the author is the caller, by id and display name. Schema 1 (before users) carried only a name the client
/// sent, and is upcast with no <see cref="AuthorId"/>.
/// </summary>
public sealed record CommentAdded(
    string CommentId, int Number, string Body, string? Author,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorId = null) : IDomainEvent;
