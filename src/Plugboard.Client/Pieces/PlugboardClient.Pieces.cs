namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The platform's piece registry: the pieces (and versions) its connections and flows may use.</summary>
    public PiecesClient Pieces => field ??= new(_transport);
}
