// The evaluations of `wirefeed eval`, one file each (eval_<name>.cpp); cmd_eval.cpp
// dispatches to them. Each takes the arguments after its name.
#pragma once

#include "cli.h"

namespace wirefeed::app {

int eval_extract(Args args);
int eval_ner(Args args);
int eval_topics(Args args);

}  // namespace wirefeed::app
