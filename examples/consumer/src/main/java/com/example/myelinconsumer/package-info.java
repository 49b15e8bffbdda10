/** A project outside the build that depends on Myelin through its published artifacts, as a user would. */
package com.example.myelinconsumer;
