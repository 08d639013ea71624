namespace Plugboard.Client.Http;

/// The OpenAPI operation a client method calls; a test checks every operation of the server's document
/// has one, and that the method's request and answer types carry the document's fields.
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class OperationAttribute(string operationId) : Attribute
{
    public string OperationId { get; } = operationId;
}
