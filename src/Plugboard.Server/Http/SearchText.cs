namespace Plugboard.Server.Http;

public static class SearchText
{
    public static string Fold(string text) => text.ToLowerInvariant();
}
