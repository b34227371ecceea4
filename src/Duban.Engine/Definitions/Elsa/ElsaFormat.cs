using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Duban.Engine.Definitions.Elsa;

/// <summary>What the import and the export share: how an Elsa 3 document is recognised, and Duban's marks in it.</summary>
public static class ElsaFormat
{
    /// <summary>Duban's own data in Elsa's <c>customProperties</c> (an Elsa installation keeps and ignores it).</summary>
    public const string Key = "duban";

    /// <summary>An Elsa 3 workflow definition: its root is an <c>Elsa.Flowchart</c>, or its activities are Elsa's.</summary>
    public static bool IsElsa(JsonObject document) =>
        document["root"] is JsonObject root &&
        (Text(root["type"]) is "Elsa.Flowchart" ||
         (root["activities"] as JsonArray)?.Any(a => Text(a?["type"])?.StartsWith("Elsa.", StringComparison.Ordinal) == true) == true);

    /// <summary>Written by Duban's export: scripts are Duban's, and every arrival runs an activity (no implicit joins).</summary>
    public static bool WrittenByDuban(JsonObject document) => Text(document["customProperties"]?[Key]?["dialect"]) == "duban";

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A fingerprint of a node's Elsa content (without Duban's marks and layout), to see whether it was edited in Elsa.</summary>
    internal static string Fingerprint(JsonObject elsaNode)
    {
        var copy = (JsonObject)elsaNode.DeepClone();
        copy.Remove("customProperties");
        copy.Remove("metadata");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())))[..16];
    }
}
