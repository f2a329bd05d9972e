import Core

ToolMain.run(ShipCommand.spec) { args in try ShipCommand.run(args) }
