using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The piece registry: <c>/api/v1/pieces</c>. Any API key of the platform reads; registering takes a platform key.</summary>
public sealed class PiecesClient
{
    private const string Root = "api/v1/pieces";
    private readonly ApiTransport _api;

    internal PiecesClient(ApiTransport api) => _api = api;

    /// <summary>Every registered piece with its versions, by name (one page: this route does not page).</summary>
    [Operation("ListPieces")]
    public Task<Page<PieceSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<PieceSummary>>(Root, cancellationToken);

    /// <summary>Registers a piece version; registering the same name and version again replaces its metadata. Retried
    /// on a transient failure: name and version key it, so a second arrival stores the same metadata again.</summary>
    [Operation("RegisterPiece")]
    public Task<RegisteredPiece> RegisterAsync(PieceMetadata metadata, CancellationToken cancellationToken = default) =>
        _api.SendAsync<RegisteredPiece>(HttpMethod.Post, Root, metadata, Retry.Yes, cancellationToken);

    /// <summary>A registered version of the piece: the latest when <paramref name="version"/> is null, else the newest
    /// one matching it (an exact version or a range such as <c>^1.2.0</c>).</summary>
    [Operation("GetPiece")]
    public Task<RegisteredPiece> GetAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<RegisteredPiece>(new Query().Add("version", version).Of(Query.Path(Root + "/{0}", name)), cancellationToken);
}
