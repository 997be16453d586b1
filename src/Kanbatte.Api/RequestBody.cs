using System.Buffers;
using System.Text.Json;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kanbatte.Api;

/// <summary>
/// A request's JSON object, read with the contract's limits. Shape mistakes (malformed JSON, a wrong type, an unknown
/// field, a body over 1 MB) become field errors here, a missing or non-JSON content type a 415; value rules are the
/// domain's. Nothing is refused while reading: <see cref="ThrowIfInvalid"/> refuses, once the handler knows the caller
/// may send this request at all (a body is not judged for someone who may not see the project).
/// </summary>
public sealed class RequestBody
{
    public const int MaxBytes = 1024 * 1024;
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32 };

    private readonly JsonElement _root;
    private readonly Violations _violations;
    private readonly Exception? _failure;

    private RequestBody(JsonElement root, Violations violations, Exception? failure = null) => (_root, _violations, _failure) = (root, violations, failure);

    private static RequestBody Refused(Exception failure) => new(default, new Violations(), failure);

    /// <summary>Reads the body as a JSON object whose fields are all among <paramref name="fields"/>.</summary>
    public static async Task<RequestBody> ReadAsync(HttpRequest request, IReadOnlyCollection<string> fields, CancellationToken ct)
    {
        if (request.ContentType is not { Length: > 0 } contentType ||
            !MediaTypeHeaderValue.TryParse(contentType, out var media) || !IsJson(media.MediaType.Value))
            return Refused(new ApiProblemException(Problems.UnsupportedMediaType("body", "must be sent as application/json.")));
        byte[] bytes;
        try
        {
            bytes = await ReadBytesAsync(request, ct);
        }
        catch (ValidationException tooLarge)
        {
            return Refused(tooLarge);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, ParseOptions);
        }
        catch (JsonException e)
        {
            return Refused(new ValidationException("body", $"is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Refused(new ValidationException("body", "must be a JSON object."));
            var violations = new Violations();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!fields.Contains(property.Name)) violations.Add(property.Name, "is not a known field.");
                else if (!seen.Add(property.Name)) violations.Add(property.Name, "appears more than once.");
            }
            return new RequestBody(root.Clone(), violations);
        }
    }

    /// <summary>
    /// For a route that takes no body: a body sent anyway is a 400. An empty one counts as none, whatever its content type
    /// says (fetch and HttpClient send an empty JSON body for a bodyless POST).
    /// </summary>
    public static async Task<RequestBody> ReadNoneAsync(HttpRequest request, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await ReadBytesAsync(request, ct);
        }
        catch (ValidationException tooLarge)
        {
            return Refused(tooLarge);
        }
        return bytes.Length == 0 ? new RequestBody(default, new Violations()) : Refused(new ValidationException("body", "must be empty: this route takes no body."));
    }

    /// <summary>
    /// A string field: null when absent. A JSON null is read as absent where <paramref name="nullable"/>, else it is an error.
    /// </summary>
    public string? String(string name, bool nullable = true)
    {
        if (_failure is not null || !_root.TryGetProperty(name, out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                try { return value.GetString(); }
                catch (InvalidOperationException) { _violations.Add(name, "is not valid text."); return null; }
            case JsonValueKind.Null when nullable:
                return null;
            case JsonValueKind.Null:
                _violations.Add(name, "must not be null.");
                return null;
            default:
                _violations.Add(name, $"must be a string, not {Describe(value.ValueKind)}.");
                return null;
        }
    }

    /// <summary>True when the field is present with a JSON null: for optional fields, "set to nothing".</summary>
    public bool IsNull(string name) => _failure is null && _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    /// <summary>An array of strings: null when absent or JSON null.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (_failure is not null || !_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            _violations.Add(name, $"must be an array of strings, not {Describe(value.ValueKind)}.");
            return null;
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                _violations.Add(name, $"must hold only strings, not {Describe(item.ValueKind)}.");
                return null;
            }
            try { items.Add(item.GetString()!); }
            catch (InvalidOperationException) { _violations.Add(name, "is not valid text."); return null; }
        }
        return items;
    }

    /// <summary>A calendar date written YYYY-MM-DD: null when absent or JSON null.</summary>
    public DateOnly? Date(string name)
    {
        var text = String(name);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            return date;
        _violations.Add(name, "must be a date written YYYY-MM-DD.");
        return null;
    }

    /// <summary>Reports every shape mistake found while reading fields.</summary>
    public void ThrowIfInvalid()
    {
        if (_failure is not null) throw _failure;
        _violations.ThrowIfAny();
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                                  mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The raw body, refused when over 1 MB.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) throw TooLarge();
        // The host's own buffers until the body is complete, then one array of its exact size: no copy per chunk, no
        // scratch buffer per request (bodies are small; this was the largest allocation of a write).
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            var buffer = result.Buffer;
            if (buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(buffer.End);
                throw TooLarge();
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }
            reader.AdvanceTo(buffer.Start, buffer.End); // nothing consumed yet: wait for more
        }
    }

    private static ValidationException TooLarge() => new("body", $"must be at most {MaxBytes} bytes (1 MB).");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
