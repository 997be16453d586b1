using System.Text;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// Generates malformed requests for every route from a seed: broken JSON, wrong types, huge strings, control characters,
/// deep nesting, invalid UTF-8, unknown and duplicated fields, invalid ids, wrong content types, bad query parameters,
/// forged continuation tokens, odd headers and wrong methods. Each is meant to be refused; none may be a 5xx.
/// </summary>
public sealed class MalformedRequests(Random random, string projectKey, string taskId, IReadOnlyList<string> validTokens)
{
    private sealed record WriteRoute(string Method, string Url, (string Name, int Max, bool Line)[] Fields, string[] Required, string ValidJson);

    private WriteRoute[] WriteRoutes =>
    [
        new("POST", "/api/projects", [("key", 10, true), ("name", 100, true), ("description", 2_000, false), ("repository", 2_000, true)], ["key", "name"], """{"key":"NEWKEY","name":"New"}"""),
        new("PATCH", $"/api/projects/{projectKey}", [("name", 100, true), ("description", 2_000, false), ("repository", 2_000, true)], [], """{"name":"Renamed"}"""),
        new("POST", $"/api/projects/{projectKey}/tasks", TaskFields, ["title"], """{"title":"t"}"""),
        new("PATCH", $"/api/tasks/{taskId}", TaskFields, [], """{"status":"done"}"""),
        new("POST", $"/api/tasks/{taskId}/move", [("status", 20, true), ("before", 30, true), ("after", 30, true)], [], """{"status":"review"}"""),
        new("POST", $"/api/tasks/{taskId}/comments", [("body", 10_000, false), ("author", 100, true)], ["body"], """{"body":"b"}"""),
        new("PATCH", $"/api/tasks/{taskId}/comments/CM-1", [("body", 10_000, false)], ["body"], """{"body":"edited"}"""),
    ];

    private static readonly (string Name, int Max, bool Line)[] TaskFields =
        [("title", 200, true), ("description", 20_000, false), ("status", 20, true), ("priority", 20, true), ("assignee", 100, true), ("dueDate", 10, true)];

    private string[] ReadRoutes =>
    [
        "/api/health", "/api/openapi.json", "/api/projects", $"/api/projects/{projectKey}", $"/api/projects/{projectKey}/tasks",
        $"/api/projects/{projectKey}/board", $"/api/projects/{projectKey}/activity",
        $"/api/tasks/{taskId}", $"/api/tasks/{taskId}/comments", $"/api/tasks/{taskId}/history",
    ];

    private static readonly string[] BadIds =
    [
        "fz-001", "FZ-01", "FZ-0001", "FZ-000", "FZ-99999999999", "FZ--1", "FZ-1e3", "%00", "%20", "FZ-001%0A", "FZ-001%2F..%2FFZ-002",
        "%C3%84I-001", "%FF%FE", "X", "TOOLONGKEY12-001", "FZ-001%00", "null", "undefined", "%7B%7D", "'%20OR%201=1--",
        new string('A', 3000), "FZ-" + new string('9', 500), "%F0%9F%98%80-001", "FZ_001", "FZ-001%3Bdrop",
    ];

    private static readonly string[] BadContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "garbage///",
        "application/", ";;;", "application/jsonp", "text/json-seq", "image/png", "application/json-patch", "*/*",
    ];

    private static readonly string[] WrongTypeValues = ["1", "-0.5", "1e400", "true", "false", "[]", "{}", "[\"t\"]", "{\"a\":\"b\"}", "123456789012345678901234567890"];

    private static readonly string[] BrokenJson =
    [
        "{", "}", "{\"", "{\"title\"", "{\"title\":", "{\"title\":\"t\"", "{\"title\":\"t\",}", "{'title':'t'}", "{title:\"t\"}",
        "{\"title\":NaN}", "{\"title\":Infinity}", "{\"title\":\"t\"/*c*/}", "{\"title\":\"t\"}{}", "{\"title\":\"t\"} x", "{\"title\"=\"t\"}",
        "{\"title\":\"t\\q\"}", "{\"title\":\"\t\"}", "{\"title\":01}", "{\"title\":.5}", "{\"title\":+1}", "{\"title\":tru}", "{,}", "{\"a\" \"b\"}",
        "\"\"\"", "\\", "{\"body\":\"b\"", "<xml/>", "title=t", "\u0000", "{\"title\":\"\\ud800\\udc00\\u\"}",
    ];

    private static readonly string[] NonObjects = ["", " ", "\n", "[]", "[{\"title\":\"t\"}]", "\"title\"", "42", "true", "null", "-0"];

    private static readonly string[] BadLimits = ["0", "-1", "101", "1000", "ten", "1.5", "1e2", "%20", "", "2147483648", "99999999999999999999", "%D9%A3", "0x10", "+5", "5%00"];

    public FuzzRequest Next() => random.Next(10) switch
    {
        < 6 => BadWrite(),
        < 9 => BadRead(),
        _ => WrongMethod(),
    };

    private FuzzRequest BadWrite()
    {
        var route = Pick(WriteRoutes);
        var field = Pick(route.Fields);
        var headers = random.Next(3) == 0 ? [OddHeader()] : new List<KeyValuePair<string, string>>();
        string kind;
        string json;
        byte[]? raw = null;
        var contentType = "application/json";
        var url = route.Url;
        switch (random.Next(14))
        {
            case 0:
                kind = "broken json";
                json = random.Next(2) == 0 ? Pick(BrokenJson) : route.ValidJson[..random.Next(1, route.ValidJson.Length - 1)];
                break;
            case 1:
                kind = "wrong type";
                json = With(route, field.Name, Pick(WrongTypeValues));
                break;
            case 2:
                kind = "null where a value is required";
                json = With(route, route.Required.Length > 0 ? Pick(route.Required) : field.Name, "null");
                // A PATCH may clear an optional field with null; its first field (title, name, body) cannot be cleared.
                if (route.Method == "PATCH") json = With(route, route.Fields[0].Name, "null");
                // A move has no required field (null neighbours mean the column's end): a wrong type instead.
                else if (route.Required.Length == 0) json = With(route, field.Name, "true");
                break;
            case 3:
                kind = "over the length limit";
                json = With(route, field.Name, Quote(new string('x', field.Max + 1 + random.Next(1000))));
                break;
            case 4:
                kind = "body over 1 MB";
                json = With(route, field.Name, Quote(new string('y', 1024 * 1024 + random.Next(1000))));
                break;
            case 5:
                kind = "control character";
                var c = (char)(random.Next(4) == 0 ? Pick([0x7f, 0x85, 0x9f, 0x00]) : random.Next(0, 0x20));
                if (!field.Line && c is '\n' or '\r' or '\t') c = '\u0001';
                // Either escaped (valid JSON, refused by the rules) or raw (invalid JSON).
                var value = random.Next(2) == 0 ? $"a\\u{(int)c:x4}b" : $"a{c}b";
                json = With(route, field.Name, "\"" + value + "\"");
                break;
            case 6:
                kind = "deep nesting";
                var depth = random.Next(33, 20_000);
                var nested = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                json = random.Next(2) == 0 ? With(route, field.Name, nested) : nested;
                break;
            case 7:
                kind = "unknown field";
                json = route.ValidJson.TrimEnd('}') + $",\"{Pick(new[] { "id", "version", "extra", "Title", "TITLE", "__proto__", "$type", "" })}\":{Pick(WrongTypeValues.Append("\"v\"").ToArray())}}}";
                break;
            case 8:
                kind = "duplicated field";
                json = route.ValidJson.TrimEnd('}') + "," + route.ValidJson.TrimStart('{');
                break;
            case 9:
                kind = "invalid value";
                var (badField, badValues) = route.Method switch
                {
                    "PATCH" => random.Next(2) == 0 ? ("status", new[] { "\"DONE\"", "\"in progress\"", "\"\"", "\"todo \"" }) : ("title", new[] { "\"\"", "\"   \"", "\"a\\nb\"" }),
                    _ when route.Url == "/api/projects" => Pick(new[] { ("key", new[] { "\"ai\"", "\"1AB\"", "\"A\"", "\"AB-1\"", "\"\"" }), ("repository", new[] { "\"javascript:alert(1)\"", "\"http://\"", "\"ftp://x.org\"", "\"/relative\"" }), ("name", new[] { "\"   \"", "\"\"" }) }),
                    _ when route.Url.Contains("/comments") => ("body", new[] { "\"\"", "\"   \"", "\"\\n\\n\"" }),
                    _ => random.Next(2) == 0 ? ("status", new[] { "\"Done\"", "\"blocked\"", "\"\"" }) : ("title", new[] { "\"\"", "\" \"", "\"a\\tb\"" }),
                };
                json = With(route, badField, Pick(badValues));
                break;
            case 10:
                kind = "invalid UTF-8";
                var valid = Encoding.UTF8.GetBytes(With(route, field.Name, "\"ab\""));
                var at = Array.LastIndexOf(valid, (byte)'a') + 1;
                raw = [.. valid[..at], .. Pick(new byte[][] { [0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80] }), .. valid[at..]];
                json = "";
                break;
            case 11:
                kind = "lone surrogate";
                json = With(route, field.Name, Pick(["\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\""]));
                break;
            case 12:
                kind = "wrong content type";
                json = route.ValidJson;
                contentType = Pick(BadContentTypes);
                break;
            default:
                kind = random.Next(2) == 0 ? "not an object" : "missing required field";
                json = kind == "not an object" || route.Required.Length == 0 ? Pick(NonObjects) : "{}";
                break;
        }
        return new FuzzRequest(route.Method, url, raw ?? Encoding.UTF8.GetBytes(json), contentType, headers, kind);
    }

    private FuzzRequest BadRead()
    {
        var headers = random.Next(3) == 0 ? [OddHeader()] : new List<KeyValuePair<string, string>>();
        switch (random.Next(5))
        {
            case 0:
            {
                // An invalid id in the path, on any route that takes one (writes carry a valid body, so only the id is wrong).
                var id = Pick(BadIds);
                var (method, url, body) = random.Next(13) switch
                {
                    0 => ("GET", $"/api/projects/{id}", null),
                    1 => ("GET", $"/api/projects/{id}/{Pick(["tasks", "board", "activity"])}", null),
                    2 => ("POST", $"/api/projects/{id}/tasks", "{\"title\":\"t\"}"),
                    3 => ("PATCH", $"/api/projects/{id}", "{\"name\":\"n\"}"),
                    4 => ("GET", $"/api/tasks/{id}", null),
                    5 => ("PATCH", $"/api/tasks/{id}", "{\"status\":\"done\"}"),
                    6 => ("POST", $"/api/tasks/{id}/comments", "{\"body\":\"b\"}"),
                    7 => ("POST", $"/api/tasks/{id}/{Pick(["archive", "restore"])}", null),
                    8 => ("POST", $"/api/tasks/{id}/move", "{\"status\":\"done\"}"),
                    9 => ("PATCH", $"/api/tasks/{taskId}/comments/{id}", "{\"body\":\"b\"}"),
                    10 => ("DELETE", $"/api/tasks/{taskId}/comments/{Pick(["CM-0", "CM-999", "cm-1", "CM-01", "CM-", id])}", null),
                    11 => ("PATCH", $"/api/tasks/{id}/comments/CM-1", "{\"body\":\"b\"}"),
                    _ => ("GET", $"/api/tasks/{id}/{Pick(["comments", "history"])}", null),
                };
                return new FuzzRequest(method, url, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : "application/json", headers, "invalid id");
            }
            case 1:
                return new FuzzRequest("GET", ListRoute() + "?limit=" + Pick(BadLimits), null, null, headers, "bad limit");
            case 2:
            {
                var list = ListRoute();
                var token = random.Next(6) switch
                {
                    0 => Tampered(Pick(validTokens)),
                    1 => Pick(validTokens), // a token of another list (or of this one: then the request is legal)
                    2 => Convert.ToBase64String(Bytes(random.Next(1, 64))),
                    3 => new string('A', random.Next(100, 6000)) + "." + new string('B', 22),
                    4 => Uri.EscapeDataString(Pick([".", "..", ".AAAA", "AAAA.", "%%%", "\u0000", "😀.😀", "eyJ9.AAAA", "WyJ4Il0.AAAA"])),
                    _ => Uri.EscapeDataString(Pick(validTokens)) + "&continuationToken=" + Uri.EscapeDataString(Pick(validTokens)),
                };
                return new FuzzRequest("GET", $"{list}?continuationToken={token}", null, null, headers, "bad continuation token", MustRefuse: !validTokens.Contains(token));
            }
            case 3:
                return new FuzzRequest("GET", $"/api/projects/{projectKey}/tasks?status=" + Pick(["doing", "done,bogus", "DONE", "%00", "todo&status=nope", new string(',', 500) + "x", "in%20progress"]), null, null, headers, "bad status filter");
            default:
                return new FuzzRequest("GET", Pick(ReadRoutes), null, null, [OddHeader(), OddHeader()], "odd headers", MustRefuse: false); // a read may ignore them
        }
    }

    private FuzzRequest WrongMethod()
    {
        var url = random.Next(2) == 0 ? Pick(ReadRoutes) : Pick(WriteRoutes).Url;
        var method = Pick(["DELETE", "PUT", "OPTIONS", "TRACE", "PROPFIND", "PATCH", "POST"]);
        var body = random.Next(2) == 0 ? Encoding.UTF8.GetBytes("{\"title\":\"t\",\"body\":\"b\"}") : null;
        // Pick again where the method would be legal: writes to their own routes, DELETE of a comment.
        if (method is "PATCH" or "POST" && (WriteRoutes.Any(r => r.Url == url) || !ReadRoutes.Contains(url))) method = "PUT";
        if (method == "DELETE" && url.Contains("/comments/", StringComparison.Ordinal)) method = "PUT";
        return new FuzzRequest(method, url, body, body is null ? null : "application/json", [], "wrong method");
    }

    private string ListRoute() => Pick(["/api/projects", $"/api/projects/{projectKey}/tasks", $"/api/tasks/{taskId}/comments", $"/api/tasks/{taskId}/history"]);

    private KeyValuePair<string, string> OddHeader() => random.Next(11) switch
    {
        9 => new("Idempotency-Key", Pick(["", " ", new string('k', 5000), "key with spaces", "ключ"])),
        10 => new("If-Match", Pick(["\"999\"", "\"-1\"", "\"1\", \"2\"", "\"\""])),
        0 => new("X-Correlation-Id", new string('c', random.Next(101, 9000))),
        1 => new("X-Correlation-Id", Pick(["a b", "<script>", "\"quoted\"", "tab\there", "x;y=z"])),
        2 => new("Accept", Pick(["application/xml", "text/html;q=0.1", "*/*;q=abc", "garbage"])),
        3 => new("Content-Encoding", Pick(["gzip", "br", "deflate", "identity, gzip"])),
        4 => new("If-Match", Pick(["\"x\"", "*", "W/\"1\"", "garbage"])),
        5 => new("If-None-Match", "\"" + new string('9', 1000) + "\""),
        6 => new("Range", Pick(["bytes=0-1", "bytes=abc", "items=1-2"])),
        7 => new("Expect", "100-continue"),
        _ => new("X-Forwarded-For", Pick(["not-an-ip", "999.999.999.999", "::::"])),
    };

    private string Tampered(string token)
    {
        var chars = token.ToCharArray();
        var i = random.Next(chars.Length);
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string With(WriteRoute route, string field, string valueJson)
    {
        // The valid body with one field replaced (or added), keeping the others.
        var others = route.Required.Where(f => f != field).Select(f => $"\"{f}\":\"{(f == "key" ? "OKAY" : "v")}\"");
        return "{" + string.Join(",", others.Append($"\"{field}\":{valueJson}")) + "}";
    }

    private static string Quote(string s) => "\"" + s + "\"";

    private byte[] Bytes(int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
