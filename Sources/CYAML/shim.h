#ifndef CLICKTRAIL_CYAML_SHIM_H
#define CLICKTRAIL_CYAML_SHIM_H

#include <yaml.h>

#endif
