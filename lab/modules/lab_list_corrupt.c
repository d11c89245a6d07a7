// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "list-corruption": an object is removed from a list
 * twice.  The first list_del() poisons its links (LIST_POISON1/2); the second
 * one is caught by CONFIG_DEBUG_LIST: "list_del corruption, ...->next is
 * LIST_POISON1 (dead000000000100)", a BUG() with CONFIG_BUG_ON_DATA_CORRUPTION
 * (else a WARNING, which /init turns into a panic with panic_on_warn).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>

struct lab_item {
	struct list_head node;
	int id;
};

static LIST_HEAD(lab_items);

static noinline void lab_item_remove(struct lab_item *it)
{
	list_del(&it->node);	/* no list_del_init and no "already removed" check */
}

static int __init lab_list_corrupt_init(void)
{
	struct lab_item *it = kzalloc(sizeof(*it), GFP_KERNEL);

	if (!it)
		return -ENOMEM;
	it->id = 7;
	list_add_tail(&it->node, &lab_items);
	lab_item_remove(it);
	pr_info("lab_list_corrupt: removed item %px once, removing it again\n", it);
	lab_item_remove(it);	/* BUG (intentional): double list_del */
	return 0;
}

static void __exit lab_list_corrupt_exit(void) { }

module_init(lab_list_corrupt_init);
module_exit(lab_list_corrupt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: double list_del caught by CONFIG_DEBUG_LIST");
