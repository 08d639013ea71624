using Plugboard.Server.Configuration;

namespace Plugboard.Server.Pieces;

public sealed class PiecesOptions
{
    /// PLUGBOARD_STRICT_PIECES=true: connections are accepted only for pieces the platform registered.
    public bool Strict { get; init; }

    public static PiecesOptions FromConfiguration(IConfiguration c) =>
        new() { Strict = c.IsTrue("PLUGBOARD_STRICT_PIECES") };
}
