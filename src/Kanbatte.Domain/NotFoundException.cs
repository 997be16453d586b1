namespace Kanbatte.Domain;

/// <summary>The entity a command or query names does not exist. Maps to 404.</summary>
public sealed class NotFoundException(string entity, string id) : DomainException($"{entity} '{id}' was not found.")
{
    public string Entity { get; } = entity;
    public string Id { get; } = id;
}
