// Placeholder until issue 3 lands this command.
console.log("firmware flash: not implemented yet (issue 3)");
