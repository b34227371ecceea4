using System.Text.Json;
using System.Text.Json.Serialization;

namespace Duban.Engine;

/// <summary>Enums travel as camelCase strings (<c>readOnly</c>, <c>taskCompleted</c>); reading accepts any case.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
