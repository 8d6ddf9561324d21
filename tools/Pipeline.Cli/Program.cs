using Pipelines.Cli;

// Every command, one line each; the longest matching name wins ("produce reviews" before "produce").
ICommand[] commands =
[
    // commands: add one line per command below (keep this comment; other work adds lines here)
];

return await CommandRunner.RunAsync(commands, args);
