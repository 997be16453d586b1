namespace Kanbatte.Domain;

/// <summary>
/// A command refused by a rule or by the state it was decided on (400, 404, 409, 412), as opposed to a failure of the
/// code or the store. Only these are worth deciding again after a fresh read of the stream.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>A client mistake: one or more fields break a rule. Maps to 400.</summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("Validation failed: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public ValidationException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }
}

/// <summary>The entity a command or query names does not exist. Maps to 404.</summary>
public sealed class NotFoundException(string entity, string id) : DomainException($"{entity} '{id}' was not found.")
{
    public string Entity { get; } = entity;
    public string Id { get; } = id;
}

/// <summary>The command contradicts the current state (e.g. a key already taken). Maps to 409.</summary>
public sealed class ConflictException(string message) : DomainException(message);

/// <summary>Collects field errors so that a client learns about all of them at once.</summary>
public sealed class Violations
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (Any) throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}

/// <summary>The client's If-Match names a version the entity has moved past. Maps to 412 with the current version.</summary>
public sealed class PreconditionFailedException(string entity, string id, int currentVersion)
    : DomainException($"{entity} '{id}' is at version {currentVersion}, not the version given in If-Match.")
{
    public int CurrentVersion { get; } = currentVersion;
}
