using System.Runtime.CompilerServices;

namespace Kanbatte.Domain;

/// <summary>
/// A command refused by a rule or by the state it was decided on (400, 404, 409, 412), as opposed to a failure of the
/// code or the store. Only these are worth deciding again after a fresh read of the stream.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>
/// A client mistake: one or more fields break a rule. Maps to 400. <see cref="Errors"/> holds at most
/// <see cref="Violations.MaxReported"/> messages; <see cref="Found"/> counts every one found.
/// </summary>
public sealed class ValidationException(IReadOnlyDictionary<string, string[]> errors, int found)
    : DomainException("Validation failed: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>How many errors were found, including those beyond the ones reported in <see cref="Errors"/>.</summary>
    public int Found { get; } = found;

    public ValidationException(IReadOnlyDictionary<string, string[]> errors) : this(errors, errors.Sum(e => e.Value.Length)) { }

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

/// <summary>
/// Collects field errors so that a client learns about all of them at once, up to <see cref="MaxReported"/>: beyond
/// that only the count grows, so a request with a million mistakes costs (and answers) no more than one with twenty.
/// </summary>
public sealed class Violations
{
    public const int MaxReported = 20;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _kept;

    public bool Any => Found > 0;

    /// <summary>Every error added, kept or not.</summary>
    public int Found { get; private set; }

    /// <summary>True when a further message would only be counted.</summary>
    public bool IsFull => _kept >= MaxReported;

    public void Add(string field, string message)
    {
        Found++;
        if (IsFull) return;
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        _kept++;
    }

    /// <summary>An interpolated message is formatted only when it will be kept (the compiler prefers this overload).</summary>
    public void Add(string field, [InterpolatedStringHandlerArgument("")] ref ViolationMessage message)
    {
        if (IsFull) Found++;
        else Add(field, message.ToStringAndClear());
    }

    public void ThrowIfAny()
    {
        if (Any) throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), Found);
    }
}

/// <summary>Builds a <see cref="Violations"/> message only while the collection still keeps messages.</summary>
[InterpolatedStringHandler]
public ref struct ViolationMessage
{
    private DefaultInterpolatedStringHandler _text;

    public ViolationMessage(int literalLength, int formattedCount, Violations violations, out bool keep)
    {
        keep = !violations.IsFull;
        _text = keep ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    public string ToStringAndClear() => _text.ToStringAndClear();
}

/// <summary>The client's If-Match names a version the entity has moved past. Maps to 412 with the current version.</summary>
public sealed class PreconditionFailedException(string entity, string id, int currentVersion)
    : DomainException($"{entity} '{id}' is at version {currentVersion}, not the version given in If-Match.")
{
    public int CurrentVersion { get; } = currentVersion;
}
