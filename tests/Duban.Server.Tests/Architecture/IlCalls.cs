using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Duban.Server.Tests.Architecture;

/// <summary>A use in code: the type whose code makes it (the outermost type: lambdas and async state machines count as
/// their containing type), and the member called or field touched as <c>Namespace.Type::Member</c>, or a type named
/// (a cast, typeof, a new array) as <c>Namespace.Type::</c>.</summary>
public sealed record IlCall(string Caller, string CallerNamespace, string Callee);

/// <summary>
/// Reads what an assembly's code uses from its IL, with System.Reflection.Metadata: every instruction that names a
/// method, field or type (call, callvirt, newobj, ldftn, ldfld, stfld, castclass, ldtoken …), resolved to the declaring
/// type and name of what it names. What the compiler emitted is what is
/// checked — formatting, aliases and extension-method syntax cannot hide a call.
/// </summary>
public static class IlCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<IlCall> Of(Assembly assembly)
    {
        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var calls = new List<IlCall>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            var (caller, ns) = Outermost(reader, type);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    var first = il.ReadByte();
                    var value = first == 0xFE ? (short)(0xFE00 | il.ReadByte()) : first;
                    if (!OpCodesByValue.TryGetValue(value, out var code))
                        throw new InvalidOperationException($"Unknown opcode 0x{value:X} at {il.Offset} in {caller}.{reader.GetString(method.Name)}");
                    if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
                    {
                        var handle = MetadataTokens.EntityHandle(il.ReadInt32());
                        if (Describe(reader, handle) is { } callee) calls.Add(new IlCall(caller, ns, callee));
                        continue;
                    }
                    Skip(ref il, code);
                }
            }
        }
        return calls;
    }

    private static (string Name, string Namespace) Outermost(MetadataReader reader, TypeDefinition type)
    {
        while (type.GetDeclaringType() is { IsNil: false } parent) type = reader.GetTypeDefinition(parent);
        var ns = reader.GetString(type.Namespace);
        return ($"{ns}.{reader.GetString(type.Name)}", ns);
    }

    private static string? Describe(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.MethodDefinition => Member(TypeName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()),
            reader.GetString(reader.GetMethodDefinition((MethodDefinitionHandle)handle).Name)),
        HandleKind.MemberReference => Member(ParentName(reader, reader.GetMemberReference((MemberReferenceHandle)handle).Parent),
            reader.GetString(reader.GetMemberReference((MemberReferenceHandle)handle).Name)),
        HandleKind.MethodSpecification => Describe(reader, reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method),
        HandleKind.FieldDefinition => Member(TypeName(reader, reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()),
            reader.GetString(reader.GetFieldDefinition((FieldDefinitionHandle)handle).Name)),
        HandleKind.TypeDefinition => Member(TypeName(reader, (TypeDefinitionHandle)handle), ""),
        HandleKind.TypeReference => Member(TypeName(reader, (TypeReferenceHandle)handle), ""),
        HandleKind.TypeSpecification => Member(SpecName(reader, (TypeSpecificationHandle)handle), ""),
        _ => null,
    };

    private static string Member(string type, string name) => $"{type}::{name}";

    private static string ParentName(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => TypeName(reader, (TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => TypeName(reader, (TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => SpecName(reader, (TypeSpecificationHandle)parent),
        HandleKind.MethodDefinition => TypeName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)parent).GetDeclaringType()),
        _ => "?",
    };

    private static string TypeName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{TypeName(reader, (TypeReferenceHandle)type.ResolutionScope)}+{reader.GetString(type.Name)}"
            : $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
    }

    private static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return type.GetDeclaringType() is { IsNil: false } parent
            ? $"{TypeName(reader, parent)}+{reader.GetString(type.Name)}"
            : $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
    }

    /// <summary>A generic instantiation (DbSet&lt;TaskRecord&gt;): the name of its generic type definition.</summary>
    private static string SpecName(MetadataReader reader, TypeSpecificationHandle handle)
    {
        var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return "?";
        blob.ReadSignatureTypeCode(); // class or value type
        var generic = blob.ReadTypeHandle();
        return generic.Kind switch
        {
            HandleKind.TypeReference => TypeName(reader, (TypeReferenceHandle)generic),
            HandleKind.TypeDefinition => TypeName(reader, (TypeDefinitionHandle)generic),
            _ => "?",
        };
    }

    private static void Skip(ref BlobReader il, OpCode code)
    {
        switch (code.OperandType)
        {
            case OperandType.InlineNone:
                break;
            case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                il.Offset += 1;
                break;
            case OperandType.InlineVar:
                il.Offset += 2;
                break;
            case OperandType.InlineI8 or OperandType.InlineR:
                il.Offset += 8;
                break;
            case OperandType.InlineSwitch:
                var targets = il.ReadInt32(); // read first: "il.Offset += 4 * il.ReadInt32()" would add to the offset from before the read
                il.Offset += 4 * targets;
                break;
            default:
                il.Offset += 4;
                break;
        }
    }
}
