import Core

ToolMain.run(TokenizeCommand.spec) { try TokenizeCommand.run($0) }
