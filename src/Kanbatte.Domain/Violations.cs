using System.Runtime.CompilerServices;

namespace Kanbatte.Domain;

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
