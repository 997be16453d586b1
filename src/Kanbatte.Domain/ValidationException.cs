namespace Kanbatte.Domain;

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
