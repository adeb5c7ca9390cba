// zlib from Debian's zlib1g-dev: gunzip for IDX data files.
#pragma once
#include <zlib.h>
