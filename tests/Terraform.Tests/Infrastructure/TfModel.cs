using System.Text.Json.Nodes;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>One block of a .tf file: a resource, data source, module call, variable or output.</summary>
internal sealed record TfBlock(string Kind, string Type, string Name, JsonObject Body, string File)
{
    /// <summary>Terraform address within its module, e.g. aws_s3_bucket.this, data.aws_iam_policy_document.x, module.key.</summary>
    public string Address => Kind switch
    {
        "resource" => $"{Type}.{Name}",
        "data" => $"data.{Type}.{Name}",
        "module" => $"module.{Name}",
        "variable" => $"var.{Name}",
        _ => $"{Kind}.{Name}",
    };

    public string Location => $"{RepoPaths.Relative(File)}: {Address}";
}

/// <summary>A Terraform module: every .tf file of one directory.</summary>
internal sealed class TfDir
{
    public TfDir(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public List<string> Files { get; } = [];

    public List<TfBlock> Resources { get; } = [];

    public List<TfBlock> DataSources { get; } = [];

    public List<TfBlock> ModuleCalls { get; } = [];

    public List<TfBlock> Variables { get; } = [];

    public List<TfBlock> Outputs { get; } = [];

    /// <summary>moved blocks, named by their from address (not in <see cref="AllBlocks"/>: from names what no longer exists).</summary>
    public List<TfBlock> MovedBlocks { get; } = [];

    public List<JsonObject> TerraformBlocks { get; } = [];

    public Dictionary<string, JsonNode?> Locals { get; } = new(StringComparer.Ordinal);

    /// <summary>Values of the directory's terraform.tfvars.</summary>
    public Dictionary<string, JsonNode?> TfVars { get; } = new(StringComparer.Ordinal);

    /// <summary>Attribute-only HCL files (.tfvars, backend .hcl) by file name.</summary>
    public Dictionary<string, JsonObject> AttributeFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>provider blocks: (provider name, body).</summary>
    public List<(string Name, JsonObject Body)> Providers { get; } = [];

    public string RelativePath => RepoPaths.Relative(Path);

    public IEnumerable<TfBlock> ResourcesOfType(string type) => Resources.Where(r => r.Type == type);

    public IEnumerable<TfBlock> DataOfType(string type) => DataSources.Where(d => d.Type == type);

    /// <summary>Every block, for checks that scan all expressions.</summary>
    public IEnumerable<TfBlock> AllBlocks => Resources.Concat(DataSources).Concat(ModuleCalls).Concat(Variables).Concat(Outputs);
}

/// <summary>The parsed modules under one directory (the repository's terraform/ or one bad fixture).</summary>
internal sealed class TfWorkspace
{
    private TfWorkspace(string root, IReadOnlyDictionary<string, TfDir> dirs, IReadOnlyList<ParseError> errors)
    {
        Root = root;
        Dirs = dirs;
        Errors = errors;
    }

    public string Root { get; }

    /// <summary>Modules by absolute directory path.</summary>
    public IReadOnlyDictionary<string, TfDir> Dirs { get; }

    public IReadOnlyList<ParseError> Errors { get; }

    public static TfWorkspace Load(string root, ParseResult parsed)
    {
        var prefix = System.IO.Path.GetFullPath(root).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        var dirs = new Dictionary<string, TfDir>(StringComparer.Ordinal);
        foreach (var (file, body) in parsed.Files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var dirPath = System.IO.Path.GetDirectoryName(file)!;
            if (!dirs.TryGetValue(dirPath, out var dir))
            {
                dir = new TfDir(dirPath);
                dirs[dirPath] = dir;
            }

            dir.Files.Add(file);
            if (!file.EndsWith(".tf", StringComparison.Ordinal))
            {
                dir.AttributeFiles[System.IO.Path.GetFileName(file)] = body;
                if (System.IO.Path.GetFileName(file) == "terraform.tfvars")
                {
                    foreach (var (key, value) in body)
                    {
                        dir.TfVars[key] = value?.DeepClone();
                    }
                }

                continue;
            }

            if (body["provider"] is JsonObject providers)
            {
                foreach (var (name, bodies) in providers)
                {
                    dir.Providers.AddRange(Json.Objects(bodies).Select(b => (name, b)));
                }
            }

            AddBlocks(dir.Resources, "resource", body["resource"], file, typed: true);
            AddBlocks(dir.DataSources, "data", body["data"], file, typed: true);
            AddBlocks(dir.ModuleCalls, "module", body["module"], file, typed: false);
            AddBlocks(dir.Variables, "variable", body["variable"], file, typed: false);
            AddBlocks(dir.Outputs, "output", body["output"], file, typed: false);
            foreach (var moved in Json.Objects(body["moved"]))
            {
                dir.MovedBlocks.Add(new TfBlock("moved", "moved", Expression(moved["from"]) ?? "?", moved, file));
            }

            foreach (var block in Json.Objects(body["terraform"]))
            {
                dir.TerraformBlocks.Add(block);
            }

            foreach (var locals in Json.Objects(body["locals"]))
            {
                foreach (var (key, value) in locals)
                {
                    dir.Locals[key] = value;
                }
            }
        }

        var errors = parsed.Errors.Where(e => e.File.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return new TfWorkspace(root, dirs, errors);
    }

    /// <summary>The module a call's local source (./ or ../) points at, or null when the directory has no .tf files.</summary>
    public TfDir? Resolve(TfDir caller, TfBlock moduleCall)
    {
        var source = Json.Str(moduleCall.Body["source"]);
        if (source is null || !(source.StartsWith("./", StringComparison.Ordinal) || source.StartsWith("../", StringComparison.Ordinal)))
        {
            return null;
        }

        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(caller.Path, source));
        return Dirs.GetValueOrDefault(path);
    }

    /// <summary>The module calls reachable from a module (its own, their modules' own, ...) with the module that makes each.</summary>
    public IEnumerable<(TfDir Caller, TfBlock Call)> ModuleCallsBelow(TfDir root)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal) { root.Path };
        var pending = new Queue<TfDir>([root]);
        while (pending.TryDequeue(out var dir))
        {
            foreach (var call in dir.ModuleCalls)
            {
                yield return (dir, call);
                if (Resolve(dir, call) is { } target && visited.Add(target.Path))
                {
                    pending.Enqueue(target);
                }
            }
        }
    }

    /// <summary>The text of a bare "${expression}" (e.g. a moved block's address), or null.</summary>
    public static string? Expression(JsonNode? node) =>
        Json.Str(node) is { } text && text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') ? text[2..^1].Trim() : null;

    /// <summary>Absolute path a module call's local source points at (whether or not it exists).</summary>
    public static string? SourcePath(TfDir caller, TfBlock moduleCall)
    {
        var source = Json.Str(moduleCall.Body["source"]);
        return source is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(caller.Path, source));
    }

    private static void AddBlocks(List<TfBlock> target, string kind, JsonNode? node, string file, bool typed)
    {
        if (node is not JsonObject byFirstLabel)
        {
            return;
        }

        foreach (var (first, value) in byFirstLabel)
        {
            if (typed)
            {
                foreach (var (name, bodies) in value!.AsObject())
                {
                    foreach (var body in Json.Objects(bodies))
                    {
                        target.Add(new TfBlock(kind, first, name, body, file));
                    }
                }
            }
            else
            {
                foreach (var body in Json.Objects(value))
                {
                    target.Add(new TfBlock(kind, kind, first, body, file));
                }
            }
        }
    }
}
