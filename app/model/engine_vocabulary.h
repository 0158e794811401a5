// The engine's vocabulary as the views print it: event kinds, their arguments and the time and
// argument formatting (engine/trace), cmwq's WQ_* flags and worker names (engine/wq), errno
// values (engine/kernel). Views reach the engine only through the model; for names and
// formatting, this header is that door.
#pragma once

#include "engine/kernel/types.h"
#include "engine/trace/text_format.h"
#include "engine/wq/worker_comm.h"
#include "engine/wq/wq_types.h"
