/* vpcov.c: the edges (basic blocks) of the instrumented sources hit while serving calls. */
#ifndef VPCOV_H
#define VPCOV_H
#include <stdint.h>

extern int vpcov_on;          /* set while a call request is served */
void vpcov_reset(void);       /* forget what was hit (hello) */
/* The ids hit since the last take or reset, each once, and forgets them. */
const uint32_t *vpcov_take(uint32_t *n);
#endif
