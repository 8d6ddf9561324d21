using Pipelines.Cli;

// Every command, one line each; the longest matching name wins ("produce reviews" before "produce").
ICommand[] commands =
[
    // commands: add one line per command below (keep this comment; other work adds lines here)
    new Pipelines.Cli.Commands.RunLocalCommand(),
    new Pipelines.Cli.Commands.LocalUpCommand(),
    new Pipelines.Cli.Commands.LocalDownCommand(),
    new Pipelines.Cli.Commands.LocalStatusCommand(),
    new Pipelines.Cli.Commands.LocalServeCommand(),
    new Pipelines.Cli.Commands.BenchCommand(),
    new Pipelines.Cli.Commands.ProduceReviewsCommand(),
    new Pipelines.Cli.Commands.ProduceCountiesCommand(),
    new Pipelines.Cli.Commands.ReportCountiesCommand(),
    new Pipelines.Cli.Commands.InvokeCommand(),
    new Pipelines.Cli.Commands.ColdStartCommand(),
    new Pipelines.Cli.Commands.ProduceEventsCommand(),
    new Pipelines.Cli.Commands.ProduceCatalogCommand(),
    new Pipelines.Cli.Commands.PartnersSetCommand(),
    new Pipelines.Cli.Commands.PartnersShowCommand(),
    new Pipelines.Cli.Commands.ProduceOrdersCommand(),
];

return await CommandRunner.RunAsync(commands, args);
