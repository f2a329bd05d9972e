import Core

ToolMain.run(RateCommand.spec) { try RateCommand.run($0) }
