#include <stdio.h>
#include "gradprint.h"
int main(void) { printf("gradprint %s\n", gp_version()); return 0; }
