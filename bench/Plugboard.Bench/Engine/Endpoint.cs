namespace Plugboard.Bench.Engine;

/// What a phase measures. The names on the command line and in the report are these, lower-cased.
internal enum Endpoint
{
    /// The bench host's constant answer of the read's shape: no authentication, no database.
    Bare,
    /// The read's token check and row read, without decryption, refresh check or audit.
    Floor,
    /// The engine read: `GET /api/v1/worker/app-connections/{externalId}` with an engine token.
    Read,
    /// The engine read of a connection made from a definition (seed 004): its value merged with the definition's global values.
    ReadInherited,
    /// The project's connection list, a page of 10, with the platform key.
    List10,
    /// The same list, a page of 100.
    List100,
    /// The page of 10 as a query no one asked before (an unused parameter that differs on every request), so the
    /// server's remembered pages never answer it: the list's cost when it reads the database.
    List10Fresh,
    /// The bench host's stand-in third-party API (`/bench/upstream/...`): a constant JSON answer, no authentication, no
    /// database. What a caller holding the credential itself would pay to call it directly.
    Direct,
    /// The same call through the proxy (`/api/v1/worker/proxy/{externalId}/...`, engine token): the connection resolved, its
    /// credential injected, the call made to the stand-in API over the SSRF-guarded client, its answer streamed back.
    Proxy,
}

internal static class Endpoints
{
    public static readonly IReadOnlyList<Endpoint> All = Enum.GetValues<Endpoint>();

    public static string Name(this Endpoint endpoint) => endpoint.ToString().ToLowerInvariant();

    public static Endpoint? Parse(string name) =>
        All.Where(e => e.Name() == name.Trim().ToLowerInvariant()).Cast<Endpoint?>().FirstOrDefault();

    public static bool IsList(this Endpoint endpoint) => endpoint is Endpoint.List10 or Endpoint.List100 or Endpoint.List10Fresh;

    /// The page size of a list endpoint.
    public static int Limit(this Endpoint endpoint) => endpoint switch
    {
        Endpoint.List10 or Endpoint.List10Fresh => 10,
        Endpoint.List100 => 100,
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "not a list"),
    };
}
