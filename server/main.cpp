#include "server/cli.hpp"

int main(int argc, char** argv) { return probity::run_cli(argc, argv); }
