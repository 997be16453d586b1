using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Kanbatte.Api;

namespace Kanbatte.FunctionalTests;

/// <summary>
/// The OpenAPI document the API serves, read as a contract: its operations, and a check of a real response (status,
/// content type, required headers, body) against what the document declares for it. OpenAPI 3.1 schemas are JSON
/// Schema 2020-12, so each one is evaluated with <c>components/schemas</c> as its <c>$defs</c>.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private static int _schemaCount;

    private readonly JsonObject _components;
    private readonly JsonNode _defs;
    private readonly List<(Regex Pattern, string Template)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public JsonElement Root { get; }

    /// <summary>The path the server URL adds in front of every path in the document ("/api").</summary>
    public string BasePath { get; }

    private OpenApiContract(byte[] document)
    {
        Root = JsonSerializer.Deserialize<JsonElement>(document);
        var node = JsonNode.Parse(document)!.AsObject();
        _components = node["components"]!.AsObject();
        _defs = JsonNode.Parse(RewriteRefs(_components["schemas"]!.ToJsonString()))!;
        BasePath = new Uri(Root.GetProperty("servers")[0].GetProperty("url").GetString()!).AbsolutePath.TrimEnd('/');
        _paths = Root.GetProperty("paths").EnumerateObject()
            .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(BasePath + p.Name), @"\\\{[^/]+?\}", "[^/]+") + "$"), p.Name))
            .ToList();
    }

    /// <summary>The document embedded in Kanbatte.Api, the bytes both hosts serve.</summary>
    public static OpenApiContract Load() => new(EmbeddedDocument());

    public static byte[] EmbeddedDocument()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("Kanbatte.Api.openapi.json")
            ?? throw new InvalidOperationException("Kanbatte.Api has no embedded openapi.json.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    /// <summary>Every (METHOD, /api/path/{template}) the document declares.</summary>
    public IReadOnlySet<(string Method, string Template)> Operations =>
        Root.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => Methods.Contains(o.Name))
                .Select(o => (o.Name.ToUpperInvariant(), BasePath + p.Name)))
            .ToHashSet();

    /// <summary>The document's path template that a request path matches, or null.</summary>
    public string? TemplateOf(string requestPath) => _paths.FirstOrDefault(p => p.Pattern.IsMatch(requestPath)).Template;

    /// <summary>Every way <paramref name="response"/> departs from the document; empty when it conforms.</summary>
    public IReadOnlyList<string> Check(string method, string requestPath, HttpResponseMessage response, string body)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var where = $"{method} {requestPath} -> {status}";
        var template = TemplateOf(requestPath);
        if (template is null) return [$"{where}: the document has no path for {requestPath}."];
        if (!Root.GetProperty("paths").GetProperty(template).TryGetProperty(method.ToLowerInvariant(), out var operation))
            return [$"{where}: the document has no {method} on {template}."];
        if (!operation.GetProperty("responses").TryGetProperty(status, out var declared))
            return [$"{where}: {method} {template} does not declare status {status}. Body: {body}"];
        declared = Resolve(declared);

        var errors = new List<string>();
        if (declared.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                var spec = Resolve(header.Value);
                var values = response.Headers.TryGetValues(header.Name, out var v) ? v
                    : response.Content.Headers.TryGetValues(header.Name, out var c) ? c : null;
                if (values is null)
                {
                    if (spec.TryGetProperty("required", out var required) && required.GetBoolean())
                        errors.Add($"{where}: the required header {header.Name} is missing.");
                    continue;
                }
                if (spec.TryGetProperty("schema", out var headerSchema))
                    errors.AddRange(Evaluate(headerSchema, JsonSerializer.SerializeToElement(string.Join(", ", values)))
                        .Select(e => $"{where}: header {header.Name}: {e}"));
            }
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!declared.TryGetProperty("content", out var content))
        {
            if (body.Length > 0) errors.Add($"{where}: the document declares no body, but one came: {body}");
            return errors;
        }
        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            errors.Add($"{where}: content type {mediaType ?? "(none)"} is not one of {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}.");
            return errors;
        }
        JsonElement instance;
        try
        {
            instance = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException e)
        {
            errors.Add($"{where}: the body is not JSON ({e.Message}): {body}");
            return errors;
        }
        var failures = Evaluate(media.GetProperty("schema"), instance);
        if (failures.Count > 0) errors.Add($"{where}: the body does not match its schema:\n    {string.Join("\n    ", failures)}\n  Body: {body}");
        return errors;
    }

    /// <summary>
    /// How a request body the server accepted departs from the operation's declared request schema: a schema stricter
    /// than the server would turn clients away from requests that work.
    /// </summary>
    public IReadOnlyList<string> CheckAcceptedRequest(string method, string requestPath, JsonElement body)
    {
        var template = TemplateOf(requestPath);
        if (template is null || !Root.GetProperty("paths").GetProperty(template).TryGetProperty(method.ToLowerInvariant(), out var operation))
            return [];
        if (!operation.TryGetProperty("requestBody", out var requestBody))
            return [$"{method} {template} declares no request body, but the server accepted one: {body.GetRawText()}"];
        var failures = Evaluate(Resolve(requestBody).GetProperty("content").GetProperty("application/json").GetProperty("schema"), body);
        return failures.Count == 0 ? [] : [$"{method} {requestPath}: the accepted request body does not match its declared schema:\n    {string.Join("\n    ", failures)}\n  Body: {body.GetRawText()}"];
    }

    /// <summary>Evaluates <paramref name="instance"/> against a schema from the document; the errors, each with where it failed.</summary>
    public IReadOnlyList<string> Evaluate(JsonElement schema, JsonElement instance)
    {
        var result = SchemaFor(schema.GetRawText()).Evaluate(instance, Evaluation);
        if (result.IsValid) return [];
        var found = (result.Details ?? []).Prepend(result)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .Distinct()
            .ToList();
        return found.Count > 0 ? found : ["does not match (no detail reported)."];
    }

    /// <summary>A schema from the document made a standalone 2020-12 schema: its refs point into <c>$defs</c>, which holds components/schemas.</summary>
    private JsonSchema SchemaFor(string schemaJson) => _schemas.GetOrAdd(schemaJson, json =>
    {
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["allOf"] = new JsonArray(JsonNode.Parse(RewriteRefs(json))),
            ["$defs"] = _defs.DeepClone(),
        };
        // A base URI of its own for each, so that building many never clashes in the schema registry.
        var id = Interlocked.Increment(ref _schemaCount);
        return JsonSchema.FromText(wrapper.ToJsonString(), baseUri: new Uri($"https://kanbatte.test/openapi/{id}"));
    });

    private static string RewriteRefs(string json) => json.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);

    /// <summary>Follows a <c>$ref</c> to components (responses, headers, parameters); other objects are returned as they are.</summary>
    public JsonElement Resolve(JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference))
        {
            var target = (JsonNode?)_components;
            var pointer = reference.GetString()!;
            if (!pointer.StartsWith("#/components/", StringComparison.Ordinal)) throw new InvalidOperationException($"Unsupported $ref {pointer}.");
            foreach (var part in pointer["#/components/".Length..].Split('/')) target = target?[part];
            element = JsonSerializer.SerializeToElement(target ?? throw new InvalidOperationException($"Unresolved $ref {pointer}."));
        }
        return element;
    }
}
