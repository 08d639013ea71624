using System.Text.Json.Nodes;

namespace Plugboard.Server.Http;

/// RFC 7396 merge patch on JSON objects: a member of the patch replaces the target's, an object member is merged
/// into the target's object, a null member removes it. The target is not changed; a patched copy is returned.
public static class JsonMergePatch
{
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject members)
            {
                result[name] = Apply(result[name] as JsonObject ?? [], members);
            }
            else
            {
                result[name] = value.DeepClone();
            }
        }
        return result;
    }
}
