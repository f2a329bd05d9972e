import Core

ToolMain.run(SampleCommand.spec) { try SampleCommand.run($0) }
