using System.Net.Http.Json;
using System.Text.Json;

namespace Kanbatte.Testing;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

    /// <summary>Creates a project with a fresh key (so tests sharing a server never collide) and returns the key.</summary>
    public static async Task<string> NewProjectAsync(this HttpClient client, string prefix = "P")
    {
        var key = prefix + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var response = await client.PostJsonAsync("/api/projects", new { key, name = "Project " + key });
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return key;
    }

    /// <summary>Makes <paramref name="userId"/> a member of the project (the client must be an owner); 200 or 201.</summary>
    public static async Task AddMemberAsync(this HttpClient client, string key, string userId, string role = "member")
    {
        var response = await client.PutAsJsonAsync($"/api/projects/{key}/members/{Uri.EscapeDataString(userId)}", new { role }, Json);
        Xunit.Assert.True(response.IsSuccessStatusCode, $"adding {userId} to {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string body, string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) });
}
