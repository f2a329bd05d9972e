// librelp, the reference implementation of RELP, for eg-ship's acknowledged syslog output.
// librelp.h needs size_t declared first; its debug-print hook is variadic and must be set (librelp
// calls it unconditionally), which Swift cannot write, so a silent one is defined here.
#include <stddef.h>
#include <librelp.h>

static void eg_relp_silent(char *format, ...) { (void)format; }

static inline relpRetVal eg_relp_engine_quiet(relpEngine_t *engine) { return relpEngineSetDbgprint(engine, eg_relp_silent); }
