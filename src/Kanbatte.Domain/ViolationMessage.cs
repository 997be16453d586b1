using System.Runtime.CompilerServices;

namespace Kanbatte.Domain;

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
