using System.Text;
using Plugboard.Client.Http;

namespace Plugboard.Client;

/// One proxied call, for both proxy routes: the path escaped segment by segment (slashes and the caller's query
/// kept), never retried (the upstream call may not be idempotent), the answer as the upstream gave it. The server
/// marks the upstream's answers; an error without the mark is Plugboard's own, thrown as every other call's.
internal static class ProxyCalls
{
    internal const string UpstreamHeader = "Plugboard-Upstream";

    private static readonly HashSet<HttpMethod> Methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete];

    public static async Task<HttpResponseMessage> SendAsync(
        ApiTransport api, string root, HttpMethod method, string externalId, string path, HttpContent? content, string? projectId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        ArgumentNullException.ThrowIfNull(path);
        if (!Methods.Contains(method))
        {
            throw new ArgumentException($"The proxy forwards GET, POST, PUT, PATCH and DELETE, not {method}.", nameof(method));
        }
        // Not disposed here: disposing the request would dispose the caller's content, which stays the caller's (as with HttpClient).
        var request = new HttpRequestMessage(method, Uri(root, externalId, path, projectId)) { Content = content };
        var response = await api.SendRawAsync(request, Retry.No, ct);
        if (response.IsSuccessStatusCode || response.Headers.Contains(UpstreamHeader))
        {
            return response;
        }
        using (response)
        {
            throw await ApiErrors.ReadAsync(response, ct);
        }
    }

    /// <c>{root}/{externalId}/{path}</c>: each path segment escaped as data (a segment is never route syntax), the
    /// slashes between them kept, the caller's query (after <c>?</c>) passed as written, then <c>projectId</c>.
    internal static string Uri(string root, string externalId, string path, string? projectId)
    {
        var queryAt = path.IndexOf('?', StringComparison.Ordinal);
        var (pathPart, query) = queryAt < 0 ? (path, "") : (path[..queryAt], path[(queryAt + 1)..]);
        var text = new StringBuilder(root).Append('/').Append(System.Uri.EscapeDataString(externalId)).Append('/')
            .AppendJoin('/', pathPart.TrimStart('/').Split('/').Select(System.Uri.EscapeDataString));
        if (projectId is not null)
        {
            query = query.Length == 0 ? "projectId=" + System.Uri.EscapeDataString(projectId) : query + "&projectId=" + System.Uri.EscapeDataString(projectId);
        }
        return query.Length == 0 ? text.ToString() : text.Append('?').Append(query).ToString();
    }
}
