/* gradprint print, status, reprint, void, report: certificates through CUPS
 * onto serial-numbered blanks, with a journal to resume and audit. */
#ifndef GP_CMD_PRINT_H
#define GP_CMD_PRINT_H

int cmd_print(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_reprint(int argc, char **argv);
int cmd_void(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
