namespace Kanbatte.Domain;

/// <summary>The client's If-Match names a version the entity has moved past. Maps to 412 with the current version.</summary>
public sealed class PreconditionFailedException(string entity, string id, int currentVersion)
    : DomainException($"{entity} '{id}' is at version {currentVersion}, not the version given in If-Match.")
{
    public int CurrentVersion { get; } = currentVersion;
}
