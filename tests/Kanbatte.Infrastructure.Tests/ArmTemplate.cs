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
/// <c>variables()</c> (also copy loops), <c>format()</c>/<c>concat()</c>, <c>if()</c>, <c>empty()</c>, arrays, objects,
/// <c>split()</c>/<c>trim()</c>, <c>union()</c>, <c>map()</c>/<c>filter()</c> with a lambda, property access and module outputs, through nested module
/// deployments. Parameters take the values a deployment would give (<see cref="Parse(string, IReadOnlyDictionary{string, object?})"/>),
/// else their defaults. Everything Azure decides at deployment time becomes an <see cref="Opaque"/> naming its source, so a
/// test can still see that, say, an endpoint setting comes from a Cosmos DB account's <c>documentEndpoint</c>.
/// Values are <c>string</c>, <c>long</c>, <c>bool</c>, <c>null</c>, <c>Dictionary&lt;string, object?&gt;</c>,
/// <c>List&lt;object?&gt;</c> or <see cref="Opaque"/>.
/// </summary>
internal sealed class ArmTemplate
{
    private readonly JsonObject _template;
    private readonly Func<string, object?>? _parameterValues;
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);
    // The current iteration of each copy loop being evaluated (copyIndex('name')).
    private readonly Dictionary<string, long> _copyIndex = new(StringComparer.OrdinalIgnoreCase);

    private ArmTemplate(JsonObject template, Func<string, object?>? parameterValues)
    {
        _template = template;
        _parameterValues = parameterValues;
    }

    public static ArmTemplate Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("Empty template."), null);

    /// <summary>The template as deployed with these parameter values (as from a parameters file); others keep their defaults.</summary>
    public static ArmTemplate Parse(string json, IReadOnlyDictionary<string, object?> parameters) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("Empty template."), name => parameters.GetValueOrDefault(name));

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
        if (_template["variables"]?[name] is { } node) return _variables[name] = Evaluate(node);
        // A for-expression compiles to a copy loop: {name, count, input} under variables.copy.
        var loop = (_template["variables"]?["copy"] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(c => (string?)c["name"] == name)
            ?? throw new KeyNotFoundException($"No variable '{name}'.");
        if (Evaluate(loop["count"]) is not long count) return _variables[name] = new Opaque($"variables('{name}')");
        var items = new List<object?>();
        for (_copyIndex[name] = 0; _copyIndex[name] < count; _copyIndex[name]++) items.Add(Evaluate(loop["input"]));
        _copyIndex.Remove(name);
        return _variables[name] = items;
    }

    private ArmTemplate Module(JsonObject deployment)
    {
        var nested = deployment["properties"]?["template"]?.AsObject()
            ?? throw new InvalidOperationException("A module deployment without an inline template.");
        var values = deployment["properties"]?["parameters"]?.AsObject();
        return new ArmTemplate(nested, name => values?[name] switch
        {
            JsonObject p when p.ContainsKey("value") => Evaluate(p["value"]),
            // A conditional value compiles to one expression that yields the whole {value: ...} object.
            JsonValue expression => Member(Evaluate(expression), "value"),
            _ => null,
        });
    }

    private ArmTemplate ModuleNamed(string name) =>
        Module(Resources.Select(r => r.Resource)
            .Single(r => Type(r) == "Microsoft.Resources/deployments" && Evaluate(r["name"]) as string == name));

    private string ResourceTypeOfSymbol(string symbol) =>
        Resources.Where(r => r.Symbol == symbol).Select(r => Type(r.Resource)).SingleOrDefault() ?? symbol;

    /// <summary>A module deployment's id, kept so <c>reference(id).outputs.x.value</c> reaches the module's output.</summary>
    private sealed record ModuleId(string Name);

    private sealed record ModuleOutputs(ArmTemplate Module);

    /// <summary>A <c>lambda()</c>: its body's text, evaluated for each call with the parameters bound.</summary>
    private sealed record Lambda(ArmTemplate Scope, IReadOnlyList<string> Parameters, string Body, IReadOnlyDictionary<string, object?> Bound)
    {
        public object? Invoke(params object?[] args)
        {
            var bound = new Dictionary<string, object?>(Bound);
            for (var i = 0; i < Parameters.Count; i++) bound[Parameters[i]] = args[i];
            var parser = new Parser(Body, Scope, bound);
            var value = parser.ParseExpression();
            parser.ExpectEnd();
            return value;
        }
    }

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
                if (args.All(a => a is List<object?>)) return args.Cast<List<object?>>().SelectMany(l => l).ToList();
                return new Opaque(string.Concat(args.Select(a => a is Opaque o ? "{" + o.Description + "}" : Describe(a))));
            case "createarray": return args.ToList();
            // Objects: the properties of each, a later one's value winning (shallow, enough for tags); arrays: each value once.
            case "union" when args.All(a => a is Dictionary<string, object?>):
            {
                var merged = new Dictionary<string, object?>();
                foreach (var map in args.Cast<Dictionary<string, object?>>())
                    foreach (var (key, value) in map) merged[key] = value;
                return merged;
            }
            case "union" when args.All(a => a is List<object?>):
                return args.Cast<List<object?>>().SelectMany(l => l).Distinct().ToList();
            case "createobject":
                return Enumerable.Range(0, args.Count / 2).ToDictionary(i => (string)args[2 * i]!, i => args[2 * i + 1]);
            case "if" when args[0] is bool condition: return condition ? args[1] : args[2];
            case "empty" when args[0] is null or string or List<object?> or Dictionary<string, object?>:
                return args[0] switch { string text => text.Length == 0, List<object?> list => list.Count == 0, Dictionary<string, object?> map => map.Count == 0, _ => true };
            case "length" when args[0] is string or List<object?>:
                return (long)(args[0] is List<object?> elements ? elements.Count : ((string)args[0]!).Length);
            case "split" when args is [string text, string separator]:
                return text.Split(separator).Cast<object?>().ToList();
            case "trim" when args is [string text]: return text.Trim();
            case "map" when args is [List<object?> items, Lambda lambda]: return items.Select(item => lambda.Invoke(item)).ToList();
            case "filter" when args is [List<object?> items, Lambda lambda]: return items.Where(item => lambda.Invoke(item) is true).ToList();
            case "not" when args is [bool value]: return !value;
            case "equals" when args is [string or long or bool, string or long or bool]: return Equals(args[0], args[1]);
            case "greater" when args is [long left, long right]: return left > right;
            case "copyindex" when args is [string loop] && _copyIndex.TryGetValue(loop, out var index): return index;
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
    private sealed class Parser(string text, ArmTemplate scope, IReadOnlyDictionary<string, object?>? bound = null)
    {
        private int _at;
        // Above zero while reading a lambda's body: parsed for its extent only, evaluated later for each call.
        private int _quiet;

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
                // A lambda's arguments are read for their extent only: its names are evaluated below, its body per call.
                var lambda = name.Equals("lambda", StringComparison.OrdinalIgnoreCase);
                var spans = new List<(int Start, int End)>();
                SkipSpace();
                if (Peek() != ')')
                {
                    if (lambda) _quiet++;
                    try
                    {
                        do
                        {
                            SkipSpace();
                            var start = _at;
                            args.Add(ParseExpression());
                            spans.Add((start, _at));
                        }
                        while (TryTake(','));
                    }
                    finally
                    {
                        if (lambda) _quiet--;
                    }
                }
                Expect(')');
                value = _quiet > 0 ? null
                    : lambda ? MakeLambda(spans)
                    : name.Equals("lambdaVariables", StringComparison.OrdinalIgnoreCase) ? Bound((string)args[0]!)
                    : scope.Call(name, args);
            }
            while (true)
            {
                SkipSpace();
                if (TryTake('.'))
                {
                    var member = ParseIdentifier();
                    if (_quiet == 0) value = Member(value, member);
                }
                else if (TryTake('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    if (_quiet == 0) value = Member(value, key);
                }
                else return value;
            }
        }

        /// <summary>lambda('a', 'b', body): the parameter names, then the body kept as text.</summary>
        private Lambda MakeLambda(List<(int Start, int End)> spans)
        {
            if (spans.Count < 2) throw Error("a lambda's parameter and body");
            var names = spans[..^1].Select(span => (string)new Parser(text[span.Start..span.End], scope).ParseExpression()!).ToList();
            return new Lambda(scope, names, text[spans[^1].Start..spans[^1].End], bound ?? new Dictionary<string, object?>());
        }

        private object? Bound(string name) =>
            bound is not null && bound.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No lambda variable '{name}'.");

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
