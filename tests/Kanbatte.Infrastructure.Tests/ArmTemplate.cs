using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>A value only Azure knows at deployment (a resource property, a unique string), described for assertions.</summary>
internal sealed record Opaque(string Description)
{
    public override string ToString() => "<" + Description + ">";
}

/// <summary>
/// Reads a compiled ARM template and evaluates the expressions that carry names: literals, <c>parameters()</c>,
/// <c>variables()</c>, <c>format()</c>/<c>concat()</c>, property access and module outputs, through nested module
/// deployments. Everything Azure decides at deployment time becomes an <see cref="Opaque"/> naming its source, so a
/// test can still see that, say, an endpoint setting comes from a Cosmos DB account's <c>documentEndpoint</c>.
/// Values are <c>string</c>, <c>long</c>, <c>bool</c>, <c>null</c>, <c>Dictionary&lt;string, object?&gt;</c>,
/// <c>List&lt;object?&gt;</c> or <see cref="Opaque"/>.
/// </summary>
internal sealed class ArmTemplate
{
    private readonly JsonObject _template;
    private readonly Func<string, object?>? _parameterValues;
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);

    private ArmTemplate(JsonObject template, Func<string, object?>? parameterValues)
    {
        _template = template;
        _parameterValues = parameterValues;
    }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("Empty template."), null);

    /// <summary>The resources of this template (both the array and the symbolic-name object forms).</summary>
    public IEnumerable<(string Symbol, JsonObject Resource)> Resources => _template["resources"] switch
    {
        JsonArray array => array.Select((r, i) => ($"#{i}", r!.AsObject())),
        JsonObject map => map.Select(p => (p.Key, p.Value!.AsObject())),
        _ => [],
    };

    /// <summary>Resources declared here and in every nested module, with the template that evaluates them.</summary>
    public IEnumerable<(ArmTemplate Scope, JsonObject Resource)> AllResources()
    {
        foreach (var (_, resource) in Resources)
        {
            yield return (this, resource);
            if (Type(resource) == "Microsoft.Resources/deployments")
                foreach (var nested in Module(resource).AllResources()) yield return nested;
        }
    }

    public static string Type(JsonObject resource) => (string?)resource["type"] ?? "";

    public static bool IsExisting(JsonObject resource) => resource["existing"]?.GetValue<bool>() == true;

    /// <summary>Evaluates a JSON node of this template: expressions in strings, recursively through objects and arrays.</summary>
    public object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Evaluate(p.Value)),
        JsonArray a => a.Select(Evaluate).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => EvaluateString(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.ToJsonString(),
        _ => throw new FormatException($"Unexpected JSON node {node.GetType().Name}."),
    };

    /// <summary>Evaluates a dotted path of a resource; a part of the path may itself be an expression (e.g. a whole object).</summary>
    public object? Evaluate(JsonObject resource, string path)
    {
        JsonNode? node = resource;
        object? value = null;
        var evaluated = false;
        foreach (var part in path.Split('.'))
        {
            if (!evaluated && node is JsonObject o) { node = o[part]; continue; }
            if (!evaluated && node is JsonArray a && int.TryParse(part, out var i)) { node = a[i]; continue; }
            if (!evaluated) { value = Evaluate(node); evaluated = true; }
            value = Member(value, long.TryParse(part, out var index) ? index : part);
        }
        return evaluated ? value : Evaluate(node);
    }

    public object? Output(string name) => Evaluate(_template["outputs"]?[name]?["value"]);

    private object? EvaluateString(string s)
    {
        if (s.StartsWith("[[", StringComparison.Ordinal)) return s[1..];
        if (!(s.StartsWith('[') && s.EndsWith(']'))) return s;
        var parser = new Parser(s[1..^1], this);
        var value = parser.ParseExpression();
        parser.ExpectEnd();
        return value;
    }

    private object? Parameter(string name)
    {
        if (_parameterValues?.Invoke(name) is { } supplied) return supplied;
        var declared = _template["parameters"]?[name]?.AsObject() ?? throw new KeyNotFoundException($"No parameter '{name}'.");
        // Without a default, the value comes from the deployment (azd: main.parameters.json).
        return declared.ContainsKey("defaultValue") ? Evaluate(declared["defaultValue"]) : new Opaque($"parameters('{name}')");
    }

    private object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached)) return cached;
        var node = _template["variables"]?[name] ?? throw new KeyNotFoundException($"No variable '{name}'.");
        return _variables[name] = Evaluate(node);
    }

    private ArmTemplate Module(JsonObject deployment)
    {
        var nested = deployment["properties"]?["template"]?.AsObject()
            ?? throw new InvalidOperationException("A module deployment without an inline template.");
        var values = deployment["properties"]?["parameters"]?.AsObject();
        return new ArmTemplate(nested, name => values?[name] is JsonObject p && p.ContainsKey("value") ? Evaluate(p["value"]) : null);
    }

    private ArmTemplate ModuleNamed(string name) =>
        Module(Resources.Select(r => r.Resource)
            .Single(r => Type(r) == "Microsoft.Resources/deployments" && Evaluate(r["name"]) as string == name));

    private string ResourceTypeOfSymbol(string symbol) =>
        Resources.Where(r => r.Symbol == symbol).Select(r => Type(r.Resource)).SingleOrDefault() ?? symbol;

    /// <summary>A module deployment's id, kept so <c>reference(id).outputs.x.value</c> reaches the module's output.</summary>
    private sealed record ModuleId(string Name);

    private sealed record ModuleOutputs(ArmTemplate Module);

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        Opaque o => o.Description,
        ModuleId m => $"module {m.Name}",
        _ => value.ToString() ?? "",
    };

    private object? Call(string function, IReadOnlyList<object?> args)
    {
        switch (function.ToLowerInvariant())
        {
            case "parameters": return Parameter((string)args[0]!);
            case "variables": return Variable((string)args[0]!);
            case "format":
                if (args.All(a => a is string or long or bool))
                    return string.Format(CultureInfo.InvariantCulture, (string)args[0]!, args.Skip(1).ToArray());
                return new Opaque(string.Format(CultureInfo.InvariantCulture, Describe(args[0]), args.Skip(1).Select(a => (object)(a is Opaque o ? "{" + o.Description + "}" : Describe(a))).ToArray()));
            case "concat":
                if (args.All(a => a is string)) return string.Concat(args.Cast<string>());
                return new Opaque(string.Concat(args.Select(a => a is Opaque o ? "{" + o.Description + "}" : Describe(a))));
            case "true": return true;
            case "false": return false;
            case "null": return null;
            case "resourceid" or "subscriptionresourceid" or "extensionresourceid" or "tenantresourceid":
            {
                // The type is the first argument that names one (extensionResourceId has a scope before it).
                var typeIndex = args.ToList().FindIndex(a => a is string s && s.Contains('/') && !s.StartsWith('/'));
                if (typeIndex >= 0 && (string)args[typeIndex]! == "Microsoft.Resources/deployments" && args[^1] is string module)
                    return new ModuleId(module);
                var type = typeIndex >= 0 ? (string)args[typeIndex]! : "?";
                return new Opaque($"resourceId({type}, {string.Join(", ", args.Skip(typeIndex + 1).Select(Describe))})");
            }
            case "reference":
                return args[0] switch
                {
                    ModuleId m => new ModuleOutputs(ModuleNamed(m.Name)),
                    string symbol when !symbol.Contains('/') => new Opaque($"reference({ResourceTypeOfSymbol(symbol)})"),
                    var other => new Opaque($"reference({Describe(other)})"),
                };
            default:
                return new Opaque($"{function}({string.Join(", ", args.Select(Describe))})");
        }
    }

    private static object? Member(object? target, object? key) => (target, key) switch
    {
        (ModuleOutputs m, "outputs") => m,
        (ModuleOutputs m, string output) => new Dictionary<string, object?> { ["value"] = m.Module.Output(output) },
        (Dictionary<string, object?> d, string k) => d.TryGetValue(k, out var v) ? v : throw new KeyNotFoundException($"No property '{k}'."),
        (List<object?> l, long i) => l[(int)i],
        (Opaque o, _) => new Opaque($"{o.Description}.{Describe(key)}"),
        _ => throw new InvalidOperationException($"Cannot read '{Describe(key)}' of {Describe(target)}."),
    };

    /// <summary>Recursive descent over ARM's expression language (calls, 'strings', numbers, .member, [index]).</summary>
    private sealed class Parser(string text, ArmTemplate scope)
    {
        private int _at;

        public void ExpectEnd()
        {
            SkipSpace();
            if (_at != text.Length) throw Error("end of expression");
        }

        public object? ParseExpression()
        {
            SkipSpace();
            object? value;
            if (Peek() == '\'') value = ParseString();
            else if (char.IsDigit(Peek()) || Peek() == '-') value = ParseNumber();
            else
            {
                var name = ParseIdentifier();
                Expect('(');
                var args = new List<object?>();
                SkipSpace();
                if (Peek() != ')')
                {
                    do args.Add(ParseExpression());
                    while (TryTake(','));
                }
                Expect(')');
                value = scope.Call(name, args);
            }
            while (true)
            {
                SkipSpace();
                if (TryTake('.')) value = Member(value, ParseIdentifier());
                else if (TryTake('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    value = Member(value, key);
                }
                else return value;
            }
        }

        private string ParseString()
        {
            Expect('\'');
            var sb = new StringBuilder();
            while (true)
            {
                if (_at >= text.Length) throw Error("closing quote");
                var c = text[_at++];
                if (c != '\'') { sb.Append(c); continue; }
                if (Peek() == '\'') { sb.Append('\''); _at++; continue; }
                return sb.ToString();
            }
        }

        private long ParseNumber()
        {
            var start = _at;
            if (Peek() == '-') _at++;
            while (char.IsDigit(Peek())) _at++;
            return long.Parse(text[start.._at], CultureInfo.InvariantCulture);
        }

        private string ParseIdentifier()
        {
            SkipSpace();
            var start = _at;
            while (char.IsLetterOrDigit(Peek()) || Peek() is '_' or '$') _at++;
            if (start == _at) throw Error("a name");
            return text[start.._at];
        }

        private char Peek() => _at < text.Length ? text[_at] : '\0';

        private void SkipSpace()
        {
            while (char.IsWhiteSpace(Peek())) _at++;
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (Peek() != c) return false;
            _at++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryTake(c)) throw Error($"'{c}'");
        }

        private FormatException Error(string expected) => new($"Expected {expected} at {_at} in [{text}].");
    }
}
