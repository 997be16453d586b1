using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>Writes a board, <c>{"columns": [{status, count, tasks}]}</c>, from tasks already serialized as JSON.</summary>
public static class BoardWriter
{
    public static JsonResponse Write(IEnumerable<(string Status, int Count, IReadOnlyList<string> TasksJson)> columns)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var (status, count, tasks) in columns)
            {
                writer.WriteStartObject();
                writer.WriteString("status", status);
                writer.WriteNumber("count", count);
                writer.WriteStartArray("tasks");
                foreach (var task in tasks) writer.WriteRawValue(task, skipInputValidation: true);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new JsonResponse(StatusCodes.Status200OK, buffer.ToArray());
    }
}
